using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Core.Sites;
using WpBackup.Sandbox;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Inventory;

/// <summary>Get-WpSite | New-WpBackup against a real WordPress site and MariaDB: the nightly job of docs/inventory.md.</summary>
[Collection("mariadb")]
public sealed class InventoryBackupTests(MariaDbFixture fixture) : IDisposable
{
    private readonly PowerShellSession _ps = new();

    [Fact]
    public void Get_WpSite_piped_to_New_WpBackup_backs_up_files_and_database_where_the_inventory_says()
    {
        var www = fixture.NewDirectory("www");
        var site = WordPressSiteBuilder.Build(Path.Combine(www, "nightly.example", "htdocs"), fixture.Server,
            new SiteOptions { HostName = "nightly.example", PostCount = 40 });
        Directory.CreateDirectory(Path.Combine(site.Root, "wp-content", "debug-logs"));
        File.WriteAllText(Path.Combine(site.Root, "wp-content", "debug-logs", "today.log"), "noise");
        var dest = fixture.NewDirectory("inventory-backups");
        var config = fixture.NewDirectory("config");
        var inventory = Path.Combine(config, "inventory.yml");
        File.WriteAllText(inventory, $"""
            defaults:
              destination: {dest}
              exclude: [wp-content/debug-logs]
              compressionLevel: 5
            sites:
              - name: nightly
                root: {site.Root}
                tags: [production]
            """);
        File.SetUnixFileMode(inventory, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var backup = _ps.Run("Get-WpSite -ConfigPath $inv -Tag production | New-WpBackup -Type Full -Reason nightly",
            new Dictionary<string, object?> { ["inv"] = inventory }).ShouldSucceed().Single<BackupInfo>();

        Assert.Equal("nightly", backup.Site);
        Assert.Equal(Path.Combine(dest, "nightly"), Path.GetDirectoryName(backup.Path));
        Assert.Equal(site.DatabaseName, backup.DatabaseName);
        Assert.True(backup.DatabaseSize > 50_000, $"database size {backup.DatabaseSize}");
        var manifest = ArchiveReader.ReadManifest(backup.Path);
        Assert.Contains(manifest.Files!, f => f.Path == "wp-config.php");
        Assert.DoesNotContain(manifest.Files!, f => f.Path.Contains("debug-logs", StringComparison.Ordinal));
        Assert.Equal(backup.Id, Assert.Single(new BackupCatalog(dest).List("nightly")).Id);

        // -Destination still wins over the inventory's
        var elsewhere = fixture.NewDirectory("elsewhere");
        var other = _ps.Run("Get-WpSite -ConfigPath $inv | New-WpBackup -Type Database -Destination $d",
            new Dictionary<string, object?> { ["inv"] = inventory, ["d"] = elsewhere }).ShouldSucceed().Single<BackupInfo>();
        Assert.StartsWith(elsewhere, other.Path);
    }

    public void Dispose() => _ps.Dispose();
}
