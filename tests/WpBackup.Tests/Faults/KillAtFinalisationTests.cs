using System.Diagnostics;
using WpBackup.Core;
using WpBackup.Core.Operations;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;
using Xunit.Abstractions;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Faults;

/// <summary>
/// kill -9 of a <c>wpbackup</c> process the moment its archive is renamed into place, i.e. while it
/// writes the sidecar. Where the kill lands in that short step is up to the scheduler, so the
/// test holds the promise either way: the backup is listed and verifies, or it is not listed and
/// the next run removes the orphaned archive and says so.
/// </summary>
public sealed class KillAtFinalisationTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    [Fact]
    public async Task Kill_9_as_the_archive_is_renamed_into_place_leaves_the_backup_whole_and_listed_or_absent()
    {
        var root = MiniSite.Create(_temp.Combine("www", "final.example", "htdocs"));
        var dest = _temp.Combine("backups");
        var siteFolder = Path.Combine(dest, "final.example");
        Directory.CreateDirectory(siteFolder);

        using var renamed = new SemaphoreSlim(0);
        string? archive = null;
        using var watcher = new FileSystemWatcher(siteFolder, "*.tar.zst") { IncludeSubdirectories = false };
        Process? process = null;
        watcher.Created += (_, e) => { archive = e.FullPath; process?.Kill(); renamed.Release(); };
        watcher.Renamed += (_, e) => { archive = e.FullPath; process?.Kill(); renamed.Release(); };
        watcher.EnableRaisingEvents = true;

        process = ShellProcess.Start("-Command", $"New-WpBackup -Path '{root}' -Type Files -Destination '{dest}'");
        var clock = Stopwatch.StartNew();
        Assert.True(await renamed.WaitAsync(Limit), "the archive was never renamed into place");
        process.Kill(); // in case the watcher fired before the process variable was visible to it
        await process.WaitForExitAsync();
        watcher.EnableRaisingEvents = false;
        var sidecarWritten = File.Exists(BackupCatalog.SidecarPathFor(archive!));
        output.WriteLine($"killed {clock.Elapsed.TotalMilliseconds:F0} ms after start, as {Path.GetFileName(archive)} appeared; sidecar written before the kill: {sidecarWritten}");

        var listed = new BackupCatalog(dest).List();
        if (sidecarWritten)
        {
            var whole = Assert.Single(listed);
            var check = _ps.Run("Test-WpBackup -Path $a", new Dictionary<string, object?> { ["a"] = whole.Path }).ShouldSucceed().Single<WpBackupTestResult>();
            Assert.True(check.Passed, string.Join("; ", check.Problems));
        }
        else
            Assert.Empty(listed);

        var next = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", new Dictionary<string, object?> { ["p"] = root, ["d"] = dest }).ShouldSucceed();
        var backup = next.Single<BackupInfo>();
        output.WriteLine("next run: " + string.Join(" | ", next.Warnings));
        Assert.Contains(next.Warnings, w => w.Contains($"took over the lock of pid {process.Id}", StringComparison.Ordinal));
        if (!sidecarWritten)
        {
            // The orphaned archive and the work folder that held the sidecar being written.
            Assert.Contains(next.Warnings, w => w.Contains("removed 2 unfinished", StringComparison.Ordinal));
            // Its id is free again, so a next run within the same second may take the same name.
            Assert.True(!File.Exists(archive) || archive == backup.Path, $"the orphaned archive {archive} is still there");
        }
        Assert.Equal(sidecarWritten ? 2 : 1, new BackupCatalog(dest).List().Count);
        Assert.Equal(backup.Id, new BackupCatalog(dest).List()[0].Id);
        Assert.Empty(Directory.EnumerateDirectories(siteFolder));
        Assert.All(Directory.EnumerateFiles(siteFolder), f => Assert.True(f.EndsWith(".tar.zst", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal), f));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
