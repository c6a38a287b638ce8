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

    public void Dispose()
    {
        _ps.Dispose();
        foreach (var site in _sites)
            site.Dispose();
    }
}
