using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Remote;

/// <summary>A FIFO and a device file in a site on a server: skipped by the remote scan with a recorded warning each.</summary>
[Collection("remote")]
public sealed class RemoteSpecialFileTests(SshdFixture sshd, MariaDbFixture db) : IDisposable
{
    private readonly PowerShellSession _ps = new();
    private readonly RemoteSite _remote = new(sshd, db, "fifo.example", posts: 5);

    [Fact]
    public async Task A_remote_backup_skips_a_fifo_and_a_device_with_a_warning_each()
    {
        var content = Path.Combine(_remote.Site.Root, "wp-content");
        var fifo = Path.Combine(content, "cache.fifo");
        var device = Path.Combine(content, "zero.dev");
        Assert.Equal(0, Processes.Run("mkfifo", fifo).ExitCode);
        Assert.Equal(0, Processes.Run("mknod", device, "c", "1", "5").ExitCode);
        _remote.ChownToUser(_remote.WebRoot);

        var run = Task.Run(() => _ps.Run($"Find-WpSite {_remote.Connection} -Path $p | New-WpBackup -Type Files -Destination $d",
            new Dictionary<string, object?> { ["p"] = _remote.WebRoot, ["d"] = db.NewDirectory("fifo-backups") }));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(120));
        var backup = result.ShouldSucceed().Single<BackupInfo>();

        foreach (var (path, kind) in new[] { (fifo, "FIFO"), (device, "character device") })
        {
            Assert.Contains(result.Warnings, w => w.Contains($"Skipped '{path}': it is a {kind}", StringComparison.Ordinal));
            Assert.Contains(backup.Warnings, w => w.Contains($"Skipped '{path}'", StringComparison.Ordinal));
        }
        var listing = Processes.Run("tar", "--zstd", "-tf", backup.Path);
        Assert.Equal(0, listing.ExitCode);
        Assert.Contains("files/wp-content/", listing.Stdout);
        Assert.DoesNotContain("cache.fifo", listing.Stdout);
        Assert.DoesNotContain("zero.dev", listing.Stdout);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _remote.Dispose();
    }
}
