using WpBackup.Core;
using WpBackup.Sandbox;
using WpBackup.Tests.Crypto;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Encryption;

/// <summary>Encrypted Full and Incremental backups of a real WordPress site and database (MariaDB fixture), through the real PowerShell engine.</summary>
[Collection("mariadb")]
public sealed class EncryptedSiteRoundTripTests(MariaDbFixture fixture) : IDisposable
{
    private readonly PowerShellSession _ps = new();

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Encrypted_full_and_incremental_backups_restore_files_and_database()
    {
        var www = fixture.NewDirectory("www");
        var dest = fixture.NewDirectory("backups");
        var keys = fixture.NewDirectory("keys");
        var key = Path.Combine(keys, "key.txt");
        var recipient = AgeCli.KeyGen(key);
        var site = WordPressSiteBuilder.Build(Path.Combine(www, "sealed.example", "htdocs"), fixture.Server,
            new SiteOptions { HostName = "sealed.example", PostCount = 60, TablePrefix = "wps_" });
        var files = TreeSnapshot.Take(site.Root);
        var tables = DatabaseState.Take(fixture.Server, site.DatabaseName);

        var backup = _ps.Run("Find-WpSite -Path $www | New-WpBackup -Type Full -Destination $d -Encrypt -Recipient $r",
            Vars(("www", www), ("d", dest), ("r", recipient))).ShouldSucceed().Single<BackupInfo>();
        Assert.True(backup.Encrypted);
        Assert.True(backup.DatabaseSize > 10_000);

        var withoutKey = _ps.Run("Find-WpSite -Path $www | New-WpBackup -Type Incremental -Destination $d", Vars(("www", www), ("d", dest)));
        Assert.StartsWith("AgeNoMatchingIdentity", Assert.Single(withoutKey.Errors).FullyQualifiedErrorId);
        Assert.Contains(backup.Id, withoutKey.Errors[0].Exception.Message);

        File.WriteAllText(Path.Combine(site.Root, "wp-content", "after-full.txt"), "in the incremental only");
        fixture.Server.Query($"INSERT INTO `{site.DatabaseName}`.wps_options (option_name, option_value) VALUES ('after_full', 'yes')");
        files = TreeSnapshot.Take(site.Root);
        tables = DatabaseState.Take(fixture.Server, site.DatabaseName);
        var incremental = _ps.Run("Find-WpSite -Path $www | New-WpBackup -Type Incremental -Destination $d -Encrypt -Recipient $r -IdentityFile $k",
            Vars(("www", www), ("d", dest), ("r", recipient), ("k", key))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(backup.Id, incremental.Parent);
        Assert.True(incremental.Encrypted);
        Assert.Equal(1, incremental.StoredFileCount);

        Directory.Delete(site.Root, recursive: true);
        fixture.Server.DropDatabase(site.DatabaseName);
        var result = _ps.Run("Get-WpBackup -Destination $d -Site sealed.example -Newest 1 | Restore-WpBackup -IdentityFile $k -Confirm:$false",
            Vars(("d", dest), ("k", key))).ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(site.DatabaseName, result.Database);
        Assert.Equal(files, TreeSnapshot.Take(site.Root));
        Assert.Equal(tables, DatabaseState.Take(fixture.Server, site.DatabaseName));
    }

    public void Dispose() => _ps.Dispose();
}
