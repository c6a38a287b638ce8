using WpBackup.Core;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Remote;

/// <summary>
/// A file that changes while the server's tar reads it (tar exits 1), or is removed before tar reaches
/// it (exit 2, "Cannot stat"): each is a recorded warning, not a failure.
/// </summary>
[Collection("remote")]
public sealed class RemoteChangingFileTests(SshdFixture sshd, MariaDbFixture db) : IDisposable
{
    private readonly PowerShellSession _ps = new();

    [Fact]
    public void A_file_growing_while_the_server_tar_reads_it_is_a_recorded_warning_and_the_backup_stays_consistent()
    {
        using var remote = new RemoteSite(sshd, db, "growing.example", posts: 5);
        var growing = Path.Combine(remote.Site.Root, "wp-content", "uploads", "growing.log");
        var original = new byte[100_000];
        Random.Shared.NextBytes(original);
        File.WriteAllBytes(growing, original);
        remote.ChownToUser(growing);
        var dest = db.NewDirectory("backups");
        var vars = new Dictionary<string, object?> { ["p"] = remote.WebRoot, ["d"] = dest };

        // tar has taken the file's size and started reading it when the test appends: exactly "file changed as we read it".
        PipelineResult result;
        using (var gate = FileReadGate.Arm(growing, _ => File.AppendAllText(growing, new string('b', 50_000))))
        {
            result = _ps.Run($"Find-WpSite {remote.Connection} -Path $p | New-WpBackup -Type Files -Destination $d", vars);
            Assert.True(gate.Fired, "tar never read the growing file");
            Assert.Null(gate.ActionFailure);
        }

        var backup = result.ShouldSucceed().Single<BackupInfo>();
        const string changed = "wp-content/uploads/growing.log: file changed as we read it";
        Assert.Contains(result.Warnings, w => w.StartsWith("127.0.0.1: ", StringComparison.Ordinal) && w.Contains(changed, StringComparison.Ordinal));
        Assert.Contains(backup.Warnings, w => w.Contains(changed, StringComparison.Ordinal));
        var listed = _ps.Run("Get-WpBackup -Destination $d", vars).ShouldSucceed().Single<BackupInfo>();
        Assert.Contains(listed.Warnings, w => w.Contains(changed, StringComparison.Ordinal));

        // Consistent: the manifest describes the bytes tar sent (the size it saw when it began), and they restore.
        var check = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup", vars).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(check.Passed, string.Join("; ", check.Problems));
        var target = Path.Combine(remote.WebRoot, "growing.example", "restored");
        _ps.Run($"Restore-WpBackup -Path $a -Target $t {remote.Connection} -Confirm:$false",
            new Dictionary<string, object?> { ["a"] = backup.Path, ["t"] = target }).ShouldSucceed();
        Assert.Equal(original, File.ReadAllBytes(Path.Combine(target, "wp-content", "uploads", "growing.log")));
        Assert.Equal(150_000, new FileInfo(growing).Length);
    }

    [Fact]
    public void A_file_removed_after_the_scan_and_before_the_server_tar_reaches_it_is_a_recorded_warning()
    {
        using var remote = new RemoteSite(sshd, db, "vanishing.example", posts: 5);
        var vanishing = Path.Combine(remote.Site.Root, "wp-content", "uploads", "cache-entry.tmp");
        File.WriteAllText(vanishing, "a cache file the site removes at any moment");
        remote.ChownToUser(vanishing);
        var dest = db.NewDirectory("backups");
        var vars = new Dictionary<string, object?> { ["p"] = remote.WebRoot, ["d"] = dest };

        // Said before the server's tar starts and after the scan listed the file; the run waits for the handler.
        var result = _ps.Run($"Find-WpSite {remote.Connection} -Path $p | New-WpBackup -Type Files -Destination $d -Verbose", vars,
            onVerbose: message => { if (message.Contains(": archiving ", StringComparison.Ordinal)) File.Delete(vanishing); });

        var backup = result.ShouldSucceed().Single<BackupInfo>();
        Assert.Contains(result.Warnings, w => w.StartsWith("127.0.0.1: ", StringComparison.Ordinal) && w.Contains("cache-entry.tmp: Cannot stat", StringComparison.Ordinal)
                                              && w.Contains("removed before it could be read", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Warnings, w => w.Contains("Exiting with failure status", StringComparison.Ordinal));
        Assert.Equal(0, backup.Retries);
        var check = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup", vars).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(check.Passed, string.Join("; ", check.Problems));
        var target = Path.Combine(remote.WebRoot, "vanishing.example", "restored");
        _ps.Run($"Restore-WpBackup -Path $a -Target $t {remote.Connection} -Confirm:$false",
            new Dictionary<string, object?> { ["a"] = backup.Path, ["t"] = target }).ShouldSucceed();
        Assert.Equal(TreeSnapshot.Take(remote.Site.Root).Keys, TreeSnapshot.Take(target).Keys);
    }

    public void Dispose() => _ps.Dispose();
}
