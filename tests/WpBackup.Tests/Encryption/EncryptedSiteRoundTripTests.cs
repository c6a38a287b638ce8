using WpBackup.Core;
using WpBackup.Sandbox;
using WpBackup.Tests.Crypto;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Encryption;

/// <summary>Encrypted Full backups of a real WordPress site and database (MariaDB fixture), through the real PowerShell engine.</summary>
[Collection("mariadb")]
public sealed class EncryptedSiteRoundTripTests(MariaDbFixture fixture) : IDisposable
{
    private readonly PowerShellSession _ps = new();

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Encrypted_full_backup_restores_files_and_database_and_blocks_incrementals_on_top()
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

        var incremental = _ps.Run("Find-WpSite -Path $www | New-WpBackup -Type Incremental -Destination $d", Vars(("www", www), ("d", dest)));
        Assert.StartsWith("IncrementalOnEncryptedParent", Assert.Single(incremental.Errors).FullyQualifiedErrorId);

        Directory.Delete(site.Root, recursive: true);
        fixture.Server.DropDatabase(site.DatabaseName);
        var result = _ps.Run("Get-WpBackup -Destination $d -Site sealed.example | Restore-WpBackup -IdentityFile $k -Confirm:$false",
            Vars(("d", dest), ("k", key))).ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(site.DatabaseName, result.Database);
        Assert.Equal(files, TreeSnapshot.Take(site.Root));
        Assert.Equal(tables, DatabaseState.Take(fixture.Server, site.DatabaseName));
    }

    public void Dispose() => _ps.Dispose();
}
