using WpBackup.Core;
using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Sites;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Remote;

/// <summary>
/// A site whose folder name has spaces, both quotes, unicode and a leading dash, on a server
/// reached through the real sshd: every remote command must carry the path as one argument.
/// </summary>
[Collection("remote")]
public sealed class RemoteOddPathTests(SshdFixture sshd, MariaDbFixture db) : IDisposable
{
    private const string OddName = "-it's \"my\" café site";
    private const string OddTargetName = "-restored 'copy' \"two\" naïve ünïcode $(touch canary) `x`";

    private readonly PowerShellSession _ps = new();
    private readonly RemoteSite _remote = new(sshd, db, "odd.example", posts: 20);

    [Fact]
    public void A_site_at_a_path_with_spaces_quotes_unicode_and_a_leading_dash_round_trips_byte_for_byte_over_ssh()
    {
        var sites = Path.Combine(_remote.WebRoot, "sites");
        Directory.CreateDirectory(sites);
        var root = Path.Combine(sites, OddName);
        Directory.Move(_remote.Site.Root, root);
        File.WriteAllText(Path.Combine(root, "wp-content", "uploads", "naïve 'quoted' \"name\" -x.txt"), "odd file name, odd folder");
        _remote.ChownToUser(_remote.WebRoot);
        var files = TreeSnapshot.Take(root);
        var tables = DatabaseState.Take(db.Server, _remote.Site.DatabaseName);
        var dest = db.NewDirectory("odd-backups");
        var vars = new Dictionary<string, object?> { ["p"] = sites, ["d"] = dest };
        SshSessions.CloseAll();

        var site = _ps.Run($"Find-WpSite {_remote.Connection} -Path $p", vars).ShouldSucceed().Single<WpSite>();
        Assert.Equal(root, site.Root);
        Assert.Equal("it-s--my--caf--site", site.Name);
        Assert.Equal(_remote.Site.DatabaseName, site.Database.Name);

        vars["s"] = site;
        var backup = _ps.Run("$s | New-WpBackup -Type Full -Destination $d", vars).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(files.Count(f => f.Value.StartsWith("file", StringComparison.Ordinal)), backup.FileCount);
        Assert.Empty(backup.Warnings);

        db.Server.DropDatabase(_remote.Site.DatabaseName);
        var target = Path.Combine(sites, OddTargetName);
        vars["a"] = backup.Path;
        vars["t"] = target;
        var restored = _ps.Run($"Restore-WpBackup -Path $a -Target $t {_remote.Connection} -Confirm:$false", vars).ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(target, restored.Target);

        Assert.Equal(files, TreeSnapshot.Take(target));
        Assert.Equal(files, TreeSnapshot.Take(root));
        Assert.Equal(tables, DatabaseState.Take(db.Server, _remote.Site.DatabaseName));
        // The shell syntax in the target's name stayed data: nothing ran it.
        Assert.Equal(new[] { OddName, OddTargetName }.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(sites).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(Path.Combine(sshd.UserHome, "canary")));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _remote.Dispose();
    }
}
