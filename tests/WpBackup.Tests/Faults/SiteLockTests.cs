using System.Diagnostics;
using WpBackup.Core;
using WpBackup.Core.Errors;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Faults;

/// <summary>One backup per site at a time; a dead run's lock and leftovers are recovered.</summary>
public sealed class SiteLockTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Root => _temp.Combine("www", "lock.example", "htdocs");
    private string Destination => _temp.Combine("backups");
    private string SiteFolder => Path.Combine(Destination, "lock.example");

    private WpSite Site()
    {
        if (!Directory.Exists(Root))
            MiniSite.Create(Root);
        return new SiteFinder().Describe(WpBackup.Core.Hosts.LocalHost.Instance, Root);
    }

    private WpBackup.Core.WpBackup Backup(IOperationReporter? reporter = null) =>
        new BackupRunner(reporter ?? NullReporter.Instance).Run(new BackupRequest { Site = Site(), Type = BackupType.Files, Destination = Destination });

    private void WriteLock(int pid, DateTime processStarted)
    {
        Directory.CreateDirectory(SiteFolder);
        File.WriteAllText(Path.Combine(SiteFolder, SiteLock.FileName),
            $$"""{"Pid":{{pid}},"Host":"{{Environment.MachineName}}","Started":"2026-11-25T01:02:03Z","ProcessStarted":"{{processStarted:O}}"}""");
    }

    [Fact]
    public void A_second_run_on_a_locked_site_fails_naming_the_holder()
    {
        using var self = Process.GetCurrentProcess();
        WriteLock(self.Id, self.StartTime.ToUniversalTime());
        var error = Assert.Throws<WpBackupException>(() => Backup());
        Assert.Equal("SiteLocked", error.ErrorId);
        Assert.Contains($"locked by pid {self.Id}", error.Message);
        Assert.Contains("since 2026-11-25 01:02:03 UTC", error.Message);
        Assert.Empty(new BackupCatalog(Destination).List());
    }

    [Fact]
    public void A_dead_runs_lock_is_taken_over_and_its_leftovers_removed()
    {
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        WriteLock(gone.Id, DateTime.UtcNow);
        var leftover = Path.Combine(SiteFolder, BackupCatalog.WorkFolderPrefix + "2026-01-01_00-00-00");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, "database.sql"), "secret dump");

        var warnings = new List<string>();
        var backup = Backup(new WarningCollector(warnings));

        Assert.Contains(warnings, w => w.Contains($"took over the lock of pid {gone.Id}", StringComparison.Ordinal) && w.Contains("removed 1 unfinished", StringComparison.Ordinal));
        Assert.False(Directory.Exists(leftover));
        Assert.False(File.Exists(Path.Combine(SiteFolder, SiteLock.FileName)));
        Assert.Equal(backup.Id, Assert.Single(new BackupCatalog(Destination).List()).Id);
    }

    [Fact]
    public void A_run_killed_between_renaming_its_archive_and_writing_the_sidecar_is_never_listed_and_cleaned_up()
    {
        var earlier = Backup();
        // The state such a crash leaves: the lock of a dead process, and an archive without its sidecar.
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        WriteLock(gone.Id, DateTime.UtcNow);
        var orphan = Path.Combine(SiteFolder, "2099-01-01_00-00-00.tar.zst");
        File.Copy(earlier.Path, orphan);
        Assert.Equal(earlier.Id, Assert.Single(new BackupCatalog(Destination).List()).Id);

        var warnings = new List<string>();
        var next = Backup(new WarningCollector(warnings));
        Assert.False(File.Exists(orphan));
        Assert.Contains(warnings, w => w.Contains("removed 1 unfinished", StringComparison.Ordinal));
        Assert.Equal(new[] { next.Id, earlier.Id }, new BackupCatalog(Destination).List().Select(b => b.Id));
    }

    [Fact]
    public async Task Kill_9_mid_backup_leaves_nothing_listed_and_the_next_run_recovers()
    {
        Site();
        var big = Path.Combine(Root, "wp-content", "uploads", "big.bin");
        var random = new Random(3);
        var block = new byte[1 << 20];
        await using (var file = File.Create(big))
            for (var i = 0; i < 400; i++)
            {
                random.NextBytes(block);
                file.Write(block);
            }

        using var process = ShellProcess.StartWith(new Dictionary<string, string>(), "-Command",
            $"New-WpBackup -Path '{Root}' -Type Files -Destination '{Destination}'");
        var deadline = Stopwatch.StartNew();
        while (!(Directory.Exists(SiteFolder) && Directory.EnumerateDirectories(SiteFolder, BackupCatalog.WorkFolderPrefix + "*").Any()))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited, "the backup never started writing");
            await Task.Delay(20);
        }
        process.Kill();
        await process.WaitForExitAsync();

        Assert.Empty(new BackupCatalog(Destination).List());
        Assert.True(File.Exists(Path.Combine(SiteFolder, SiteLock.FileName)));

        var warnings = new List<string>();
        var next = Backup(new WarningCollector(warnings));
        Assert.Contains(warnings, w => w.Contains("took over the lock", StringComparison.Ordinal));
        Assert.Equal(next.Id, Assert.Single(new BackupCatalog(Destination).List()).Id);
        Assert.Empty(Directory.EnumerateDirectories(SiteFolder));
    }

    /// <summary>Run 1 of the races below: a real backup of lock.example, held at its first files message (the lock taken) until released.</summary>
    private (Task<WpBackup.Core.WpBackup> Run, HoldAtArchiving Hold) StartHeldBackup()
    {
        var site = Site();
        var hold = new HoldAtArchiving();
        var run = Task.Factory.StartNew(() => new BackupRunner(hold).Run(new BackupRequest { Site = site, Type = BackupType.Files, Destination = Destination }),
            TaskCreationOptions.LongRunning);
        Assert.True(WaitHandle.WaitAny([hold.Reached.WaitHandle, ((IAsyncResult)run).AsyncWaitHandle], TimeSpan.FromSeconds(60)) == 0,
            $"run 1 never reached its files: {run.Exception?.GetBaseException().Message}");
        return (run, hold);
    }

    [Fact]
    public async Task Two_runs_on_the_same_site_in_one_process_the_second_is_refused_naming_this_process_and_the_first_completes()
    {
        using var self = Process.GetCurrentProcess();
        var before = DateTime.UtcNow.AddSeconds(-1);
        var (run, hold) = StartHeldBackup();
        try
        {
            var error = Assert.Throws<WpBackupException>(() => Backup());
            Assert.Equal("SiteLocked", error.ErrorId);
            Assert.Contains($"lock.example is locked by pid {self.Id} on {Environment.MachineName} since ", error.Message);
            var since = System.Text.RegularExpressions.Regex.Match(error.Message, @"since (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC");
            Assert.True(since.Success, error.Message);
            var started = DateTime.SpecifyKind(DateTime.ParseExact(since.Groups[1].Value, "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
            Assert.InRange(started, before, DateTime.UtcNow);
            using var holder = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SiteFolder, SiteLock.FileName)));
            Assert.Equal(self.Id, holder.RootElement.GetProperty("Pid").GetInt32());
            Assert.InRange((holder.RootElement.GetProperty("ProcessStarted").GetDateTime() - self.StartTime.ToUniversalTime()).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
            Assert.False(run.IsCompleted);
        }
        finally
        {
            hold.Release.Set();
        }
        var first = await run;
        Assert.Equal(first.Id, Assert.Single(new BackupCatalog(Destination).List()).Id);
        Assert.False(File.Exists(Path.Combine(SiteFolder, SiteLock.FileName)));
    }

    [Fact]
    public async Task While_one_site_is_locked_a_backup_of_another_site_completes()
    {
        var other = new SiteFinder().Describe(WpBackup.Core.Hosts.LocalHost.Instance, MiniSite.Create(_temp.Combine("www", "other.example", "htdocs")));
        var (run, hold) = StartHeldBackup();
        WpBackup.Core.WpBackup second;
        try
        {
            second = new BackupRunner(NullReporter.Instance).Run(new BackupRequest { Site = other, Type = BackupType.Files, Destination = Destination });
            Assert.False(run.IsCompleted, "lock.example's run must still hold its lock while other.example is backed up");
            Assert.True(File.Exists(Path.Combine(SiteFolder, SiteLock.FileName)));
            Assert.Equal(second.Id, Assert.Single(new BackupCatalog(Destination).List("other.example")).Id);
        }
        finally
        {
            hold.Release.Set();
        }
        var first = await run;
        Assert.Equal(["lock.example/" + first.Id, "other.example/" + second.Id],
            new BackupCatalog(Destination).List().Select(b => b.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Runs_racing_to_take_over_the_same_dead_lock_leave_exactly_one_holder()
    {
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        const int Runs = 8;
        for (var round = 0; round < 25; round++)
        {
            WriteLock(gone.Id, DateTime.UtcNow);
            var leftover = Path.Combine(SiteFolder, BackupCatalog.WorkFolderPrefix + "round-" + round);
            Directory.CreateDirectory(leftover);
            using var start = new Barrier(Runs);
            var attempts = Enumerable.Range(0, Runs).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                try { return SiteLock.Acquire(SiteFolder, "lock.example", _ => { }); }
                catch (WpBackupException e) when (e.ErrorId == "SiteLocked") { return null; }
            }, TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(attempts);

            var holders = attempts.Select(a => a.Result).Where(l => l is not null).ToList();
            Assert.Single(holders);
            Assert.False(Directory.Exists(leftover), "the dead run's work folder is removed by the one run that took over");
            using var holder = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SiteFolder, SiteLock.FileName)));
            Assert.Equal(Environment.ProcessId, holder.RootElement.GetProperty("Pid").GetInt32());
            holders[0]!.Dispose();
            Assert.False(File.Exists(Path.Combine(SiteFolder, SiteLock.FileName)));
        }
    }

    [Fact]
    public void Releasing_a_lock_that_was_retaken_meanwhile_leaves_the_new_holders_lock()
    {
        Directory.CreateDirectory(SiteFolder);
        var first = SiteLock.Acquire(SiteFolder, "lock.example", _ => { });
        File.Delete(Path.Combine(SiteFolder, SiteLock.FileName)); // a sysadmin removes it, as the SiteLocked message says
        using var second = SiteLock.Acquire(SiteFolder, "lock.example", _ => { });

        first.Dispose();

        Assert.True(File.Exists(Path.Combine(SiteFolder, SiteLock.FileName)), "the first run must not remove the second one's lock");
        Assert.Equal("SiteLocked", Assert.Throws<WpBackupException>(() => SiteLock.Acquire(SiteFolder, "lock.example", _ => { })).ErrorId);
    }

    /// <summary>Blocks the run at its first files message ("archiving N entries", said with the lock held) until released.</summary>
    private sealed class HoldAtArchiving : IOperationReporter
    {
        public ManualResetEventSlim Reached { get; } = new();
        public ManualResetEventSlim Release { get; } = new();

        public void Progress(OperationProgress progress)
        {
            if (progress.Stage == "files")
                Hold();
        }

        public void Verbose(string message)
        {
            if (message.Contains(": archiving ", StringComparison.Ordinal))
                Hold();
        }

        public void Warning(string message) { }

        private void Hold()
        {
            Reached.Set();
            Assert.True(Release.Wait(TimeSpan.FromMinutes(2)), "run 1 was never released");
        }
    }

    public void Dispose() => _temp.Dispose();

}
