using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Sandbox;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Cmdlets;

/// <summary>
/// The whole job against a real MariaDB and a real WordPress site, through the real PowerShell
/// engine: find, back up, destroy, restore, and compare bytes and tables.
/// </summary>
[Collection("mariadb")]
public sealed class FullRoundTripTests(MariaDbFixture fixture) : IDisposable
{
    private readonly PowerShellSession _ps = new();

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    private DemoSite BuildSite(string host, string www) =>
        WordPressSiteBuilder.Build(Path.Combine(www, host, "htdocs"), fixture.Server, new SiteOptions { HostName = host, PostCount = 120, TablePrefix = "wpt_" });

    [Fact]
    public void Full_backup_then_files_deleted_and_database_dropped_then_restore_gives_back_the_same_site()
    {
        var www = fixture.NewDirectory("www");
        var dest = fixture.NewDirectory("backups");
        var site = BuildSite("roundtrip.example", www);
        var files = TreeSnapshot.Take(site.Root);
        var tables = DatabaseState.Take(fixture.Server, site.DatabaseName);
        Assert.Equal(12, tables.Count);

        var backup = _ps.Run("Find-WpSite -Path $www | New-WpBackup -Type Full -Destination $d -Reason 'round trip'",
            Vars(("www", www), ("d", dest))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(BackupType.Full, backup.Type);
        Assert.True(backup.DatabaseSize > 100_000);
        Assert.Equal(site.DatabaseName, backup.DatabaseName);

        Directory.Delete(site.Root, recursive: true);
        fixture.Server.DropDatabase(site.DatabaseName);
        Assert.Empty(DatabaseState.Take(fixture.Server, site.DatabaseName));

        var result = _ps.Run("Get-WpBackup -Destination $d -Newest 1 | Restore-WpBackup -Confirm:$false", Vars(("d", dest)))
            .ShouldSucceed().Single<WpRestoreResult>();

        Assert.Equal(site.Root, result.Target);
        Assert.Equal(site.DatabaseName, result.Database);
        Assert.Equal(files, TreeSnapshot.Take(site.Root));
        Assert.Equal(tables, DatabaseState.Take(fixture.Server, site.DatabaseName));
    }

    [Fact]
    public void Archive_holds_files_dump_and_a_manifest_without_the_password()
    {
        var www = fixture.NewDirectory("www");
        var dest = fixture.NewDirectory("backups");
        var site = BuildSite("contract.example", www);
        var backup = _ps.Run("Find-WpSite $www | New-WpBackup -Destination $d", Vars(("www", www), ("d", dest))).ShouldSucceed().Single<BackupInfo>();

        var extracted = fixture.NewDirectory("extracted");
        var (exit, _, stderr) = Processes.Run("tar", "--zstd", "-xf", backup.Path, "-C", extracted);
        Assert.True(exit == 0, stderr);
        var dump = File.ReadAllText(Path.Combine(extracted, ArchiveLayout.DatabaseEntry));
        Assert.Contains("CREATE TABLE `wpt_posts`", dump);
        Assert.EndsWith("-- Dump completed\n", dump);
        var manifest = BackupManifest.FromJson(File.ReadAllBytes(Path.Combine(extracted, ArchiveLayout.ManifestEntry)));
        Assert.Equal("contract.example", manifest.Site);
        Assert.Equal("wpt_", manifest.Database!.TablePrefix);
        Assert.Equal(site.User, manifest.Database.User);
        Assert.Equal(backup.FileCount, manifest.Files!.Count(f => f.Type == ManifestEntryType.File));
        Assert.Equal(File.ReadAllBytes(site.ConfigPath), File.ReadAllBytes(Path.Combine(extracted, "files", "wp-config.php")));

        foreach (var metadata in new[] { Path.Combine(extracted, ArchiveLayout.ManifestEntry), backup.SidecarPath })
            Assert.DoesNotContain(site.Password, File.ReadAllText(metadata));
    }

    [Fact]
    public void Database_only_backup_restores_into_another_database_for_staging()
    {
        var www = fixture.NewDirectory("www");
        var dest = fixture.NewDirectory("backups");
        var site = BuildSite("staging.example", www);
        var staging = site.DatabaseName + "_stg";
        fixture.Server.Query($"GRANT ALL ON `{staging}`.* TO '{site.User}'@'127.0.0.1'");

        var backup = _ps.Run("New-WpBackup -Path $root -Type Database -Destination $d", Vars(("root", site.Root), ("d", dest))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(0, backup.FileCount);

        var result = _ps.Run("Restore-WpBackup -Path $p -DatabaseName $db -Confirm:$false", Vars(("p", backup.Path), ("db", staging)))
            .ShouldSucceed().Single<WpRestoreResult>();
        Assert.Null(result.Target);
        Assert.Equal(DatabaseState.Take(fixture.Server, site.DatabaseName), DatabaseState.Take(fixture.Server, staging));
    }

    [Fact]
    public void Database_failures_fail_the_whole_backup_with_a_clear_error_and_leave_nothing()
    {
        var www = fixture.NewDirectory("www");
        var dest = fixture.NewDirectory("backups");
        var site = BuildSite("broken-db.example", www);

        var credential = new System.Management.Automation.PSCredential(site.User, new System.Net.NetworkCredential("", "wrong").SecurePassword);
        var wrongPassword = _ps.Run("New-WpBackup -Path $root -Destination $d -DatabaseCredential $c",
            Vars(("root", site.Root), ("d", dest), ("c", credential)));
        Assert.StartsWith("DatabaseAccessDenied", Assert.Single(wrongPassword.Errors).FullyQualifiedErrorId);

        var closedPort = FreePort.Next();
        var unreachable = _ps.Run("New-WpBackup -Path $root -Destination $d -DatabaseHost $h -RetryCount 0", Vars(("root", site.Root), ("d", dest), ("h", $"127.0.0.1:{closedPort}")));
        Assert.StartsWith("DatabaseUnreachable", Assert.Single(unreachable.Errors).FullyQualifiedErrorId);

        fixture.Server.Query($"DROP DATABASE `{site.DatabaseName}`");
        var missing = _ps.Run("New-WpBackup -Path $root -Destination $d", Vars(("root", site.Root), ("d", dest)));
        var error = Assert.Single(missing.Errors);
        Assert.StartsWith("DatabaseMissing", error.FullyQualifiedErrorId);
        Assert.Contains(site.DatabaseName, error.Exception.Message);

        foreach (var result in new[] { wrongPassword, unreachable, missing })
        {
            Assert.Empty(result.Output);
            Assert.DoesNotContain(site.Password, string.Join("\n", result.Errors.Select(e => e.Exception.Message)));
        }
        Assert.Empty(Directory.EnumerateFiles(dest, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(dest, "broken-db.example")));
    }

    public void Dispose() => _ps.Dispose();
}
