using WpBackup.Core;
using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Sites;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Remote;

/// <summary>Sites on a server over a real sshd: found, backed up to this machine, restored back there.</summary>
[Collection("remote")]
public sealed class RemoteRoundTripTests(SshdFixture sshd, MariaDbFixture db) : IDisposable
{
    private readonly PowerShellSession _ps = new();
    private readonly List<RemoteSite> _sites = [];

    private RemoteSite NewSite(string host)
    {
        var site = new RemoteSite(sshd, db, host);
        _sites.Add(site);
        return site;
    }

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Remote_site_round_trip_over_one_connection()
    {
        var remote = NewSite("remote.example");
        var dest = db.NewDirectory("backups");
        var files = TreeSnapshot.Take(remote.Site.Root);
        var tables = DatabaseState.Take(db.Server, remote.Site.DatabaseName);
        SshSessions.CloseAll();
        var connectionsBefore = SshSessions.ConnectionsOpened;

        var site = _ps.Run($"Find-WpSite {remote.Connection} -Path $p", Vars(("p", remote.WebRoot))).ShouldSucceed().Single<WpSite>();
        Assert.Equal("remote.example", site.Name);
        Assert.Equal("127.0.0.1", site.ComputerName);
        Assert.Equal(sshd.UserName, site.Ssh!.UserName);
        Assert.Equal(remote.Site.DatabaseName, site.Database.Name);
        Assert.Equal("6.1.9", site.WordPressVersion);

        var backup = _ps.Run("$s | New-WpBackup -Destination $d", Vars(("s", site), ("d", dest))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal("127.0.0.1", backup.ComputerName);
        Assert.True(backup.DatabaseSize > 50_000);
        Assert.Equal(files.Count(f => f.Value.StartsWith("file", StringComparison.Ordinal)), backup.FileCount);

        Directory.Delete(remote.Site.Root, recursive: true);
        db.Server.DropDatabase(remote.Site.DatabaseName);

        var restored = _ps.Run($"Get-WpBackup -Destination $d | Restore-WpBackup -KeyFile '{sshd.Ed25519KeyPath}' -KnownHostsFile '{remote.KnownHosts}' -Confirm:$false",
            Vars(("d", dest))).ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal("127.0.0.1", restored.ComputerName);
        Assert.Equal(remote.Site.Root, restored.Target);

        Assert.Equal(files, TreeSnapshot.Take(remote.Site.Root));
        Assert.Equal(tables, DatabaseState.Take(db.Server, remote.Site.DatabaseName));
        Assert.Equal(connectionsBefore + 1, SshSessions.ConnectionsOpened);
        Assert.Empty(Directory.GetFiles("/tmp", "wpbackup.*"));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(Path.Combine(remote.WebRoot, "remote.example")), p => Path.GetFileName(p).StartsWith('.'));
    }

    [Theory]
    [InlineData("None")]
    [InlineData("Zstd")]
    [InlineData("Gzip")]
    public void Remote_restore_to_another_folder_keeps_modes_and_links_whatever_the_transfer_compression(string compression)
    {
        var remote = NewSite("copy.example");
        var dest = db.NewDirectory("backups");
        var backup = _ps.Run($"Find-WpSite {remote.Connection} -Path $p | New-WpBackup -Type Files -Destination $d -TransferCompression {compression}",
            Vars(("p", remote.WebRoot), ("d", dest))).ShouldSucceed().Single<BackupInfo>();

        var target = Path.Combine(remote.WebRoot, "copy.example", "staging");
        _ps.Run($"Restore-WpBackup -Path $a -Target $t {remote.Connection} -Confirm:$false", Vars(("a", backup.Path), ("t", target))).ShouldSucceed();

        Assert.Equal(TreeSnapshot.Take(remote.Site.Root), TreeSnapshot.Take(target));
        Assert.Equal("2026/11", new FileInfo(Path.Combine(target, "wp-content", "uploads", "latest")).LinkTarget);
    }

    [Fact]
    public void Remote_incremental_chain_stores_only_changes_and_restores_on_the_server()
    {
        var remote = NewSite("inc.example");
        var dest = db.NewDirectory("backups");
        var vars = Vars(("p", remote.WebRoot), ("d", dest));
        _ps.Run($"Find-WpSite {remote.Connection} -Path $p | New-WpBackup -Type Full -Destination $d", vars).ShouldSucceed();

        var nothing = _ps.Run($"Find-WpSite {remote.Connection} -Path $p | New-WpBackup -Type Incremental -Destination $d", vars).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(BackupType.Incremental, nothing.Type);
        Assert.Equal(0, nothing.StoredFileCount);

        var uploads = Path.Combine(remote.Site.Root, "wp-content", "uploads");
        File.WriteAllText(Path.Combine(uploads, "added.txt"), "added on the server");
        remote.ChownToUser(Path.Combine(uploads, "added.txt"));
        var changed = _ps.Run($"Find-WpSite {remote.Connection} -Path $p | New-WpBackup -Type Incremental -Destination $d", vars).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(1, changed.StoredFileCount);
        Assert.Equal(nothing.Id, changed.Parent);
        var files = TreeSnapshot.Take(remote.Site.Root);

        var check = _ps.Run("Get-WpBackup -Destination $d -Newest 1 | Test-WpBackup", Vars(("d", dest))).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(check.Passed, string.Join("; ", check.Problems));

        Directory.Delete(remote.Site.Root, recursive: true);
        var restored = _ps.Run($"Get-WpBackup -Destination $d -Newest 1 | Restore-WpBackup -KeyFile '{sshd.Ed25519KeyPath}' -KnownHostsFile '{remote.KnownHosts}' -Confirm:$false",
            Vars(("d", dest))).ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(2, restored.Archives.Count);
        Assert.Equal(files, TreeSnapshot.Take(remote.Site.Root));
    }

    public void Dispose()
    {
        _ps.Dispose();
        foreach (var site in _sites)
            site.Dispose();
    }
}
