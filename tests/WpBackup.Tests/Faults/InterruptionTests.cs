using System.Diagnostics;
using WpBackup.Core;
using WpBackup.Core.Errors;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;
using WpBackup.Sandbox;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Faults;

/// <summary>Real interruptions: a restore killed mid-extract, a database server stopped mid-dump, a file growing while read.</summary>
public sealed class InterruptionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Root => _temp.Combine("www", "cut.example", "htdocs");

    private WpSite Site(string? config = null)
    {
        if (!Directory.Exists(Root))
            MiniSite.Create(Root, config ?? MiniSite.LiteralConfig);
        return new SiteFinder().Describe(WpBackup.Core.Hosts.LocalHost.Instance, Root);
    }

    [Fact]
    public async Task A_restore_killed_mid_extract_leaves_the_target_as_it_was_and_a_rerun_completes()
    {
        Site();
        var big = Path.Combine(Root, "wp-content", "uploads", "big.bin");
        var block = new byte[1 << 20];
        var random = new Random(9);
        await using (var file = File.Create(big))
            for (var i = 0; i < 300; i++)
            {
                random.NextBytes(block);
                file.Write(block);
            }
        var dest = _temp.Combine("backups");
        var backup = new BackupRunner(NullReporter.Instance).Run(new BackupRequest { Site = Site(), Type = BackupType.Files, Destination = dest });
        var backedUp = TreeSnapshot.Take(Root);
        File.WriteAllText(Path.Combine(Root, "after.txt"), "written after the backup");
        var before = TreeSnapshot.Take(Root);

        using var process = ShellProcess.StartWith(new Dictionary<string, string>(), "-Command", $"Restore-WpBackup -Path '{backup.Path}' -Confirm:$false");
        var parent = Path.GetDirectoryName(Root)!;
        var clock = Stopwatch.StartNew();
        while (!Directory.EnumerateDirectories(parent, ".htdocs.wpbackup-restore-*").Any(d => Directory.EnumerateFileSystemEntries(d).Any()))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited, "the restore never started extracting");
            await Task.Delay(10);
        }
        process.Kill();
        await process.WaitForExitAsync();

        Assert.Equal(before, TreeSnapshot.Take(Root));
        var leftover = Assert.Single(Directory.GetDirectories(parent, ".htdocs.wpbackup-restore-*"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(leftover));

        var warnings = new List<string>();
        new RestoreRunner(new WarningCollector(warnings)).Run(RestoreRunner.Plan(new RestoreRequest { Backup = backup }));
        Assert.Contains(warnings, w => w.Contains("left by an interrupted restore", StringComparison.Ordinal));
        Assert.Equal(backedUp, TreeSnapshot.Take(Root));
        Assert.Equal(["htdocs"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
    }

    [Fact]
    public void A_database_server_stopped_mid_dump_fails_the_backup_and_leaves_nothing()
    {
        using var server = MariaDbServer.Start(_temp.Combine("mariadb"));
        server.CreateDatabase("cut", "cut", "cut-pass");
        server.Query("CREATE TABLE cut.wp_posts (id INT AUTO_INCREMENT PRIMARY KEY, body LONGTEXT) ENGINE=InnoDB");
        server.Query("INSERT INTO wp_posts (body) SELECT REPEAT(MD5(seq), 30) FROM seq_1_to_60000", "cut");
        var site = Site($"<?php\ndefine('DB_NAME', 'cut');\ndefine('DB_USER', 'cut');\ndefine('DB_PASSWORD', 'cut-pass');\ndefine('DB_HOST', '127.0.0.1:{server.Port}');\n");
        var dest = _temp.Combine("backups");

        var error = Assert.ThrowsAny<WpBackupException>(() =>
            new BackupRunner(new StopServerWhenDumping(server)).Run(new BackupRequest { Site = site, Type = BackupType.Database, Destination = dest }));
        Assert.Equal(FailureKind.Database, error.Kind);
        Assert.Empty(new BackupCatalog(dest).List());
        Assert.Empty(Directory.EnumerateFiles(dest, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_file_growing_while_read_is_recorded_as_a_warning_and_the_archive_stays_consistent()
    {
        var site = Site();
        var growing = Path.Combine(Root, "wp-content", "uploads", "growing.log");
        File.WriteAllText(growing, new string('a', 100_000));
        var dest = _temp.Combine("backups");
        var warnings = new List<string>();
        var backup = new BackupRunner(new GrowWhenArchiving(growing, warnings)).Run(new BackupRequest { Site = site, Type = BackupType.Files, Destination = dest });

        Assert.Contains(warnings, w => w.Contains("growing.log", StringComparison.Ordinal) && w.Contains("changed while", StringComparison.Ordinal));
        Assert.Contains(backup.Warnings, w => w.Contains("growing.log", StringComparison.Ordinal));
        var target = _temp.Combine("restored");
        new RestoreRunner(NullReporter.Instance).Run(RestoreRunner.Plan(new RestoreRequest { Backup = backup, Target = target }));
        Assert.Equal(100_000, new FileInfo(Path.Combine(target, "wp-content", "uploads", "growing.log")).Length);
    }

    [Fact]
    public void A_file_removed_before_it_is_read_is_a_recorded_warning_and_the_backup_holds_the_rest()
    {
        var site = Site();
        var vanishing = Path.Combine(Root, "wp-content", "uploads", "cache-entry.tmp");
        File.WriteAllText(vanishing, "a cache file the site removes at any moment");
        var dest = _temp.Combine("backups");
        var warnings = new List<string>();
        var backup = new BackupRunner(new RemoveWhenArchiving(vanishing, warnings)).Run(new BackupRequest { Site = site, Type = BackupType.Files, Destination = dest });

        Assert.Contains(warnings, w => w.Contains("cache-entry.tmp", StringComparison.Ordinal) && w.Contains("removed before it could be read", StringComparison.Ordinal));
        Assert.Contains(backup.Warnings, w => w.Contains("cache-entry.tmp", StringComparison.Ordinal));
        var target = _temp.Combine("restored");
        new RestoreRunner(NullReporter.Instance).Run(RestoreRunner.Plan(new RestoreRequest { Backup = backup, Target = target }));
        Assert.False(File.Exists(Path.Combine(target, "wp-content", "uploads", "cache-entry.tmp")));
        Assert.Equal(TreeSnapshot.Take(Root).Keys, TreeSnapshot.Take(target).Keys);
    }

    public void Dispose() => _temp.Dispose();


    private sealed class StopServerWhenDumping(MariaDbServer server) : IOperationReporter
    {
        public void Progress(OperationProgress progress)
        {
            if (progress.Stage == "dump" && progress.BytesDone > 0 && server.IsRunning)
                Process.GetProcessById(server.ProcessId).Kill();
        }
        public void Verbose(string message) { }
        public void Warning(string message) { }
    }

    private sealed class RemoveWhenArchiving(string path, List<string> warnings) : IOperationReporter
    {
        public void Progress(OperationProgress progress) { }
        public void Warning(string message) => warnings.Add(message);
        public void Verbose(string message)
        {
            if (message.Contains("archiving", StringComparison.Ordinal))
                File.Delete(path);
        }
    }

    private sealed class GrowWhenArchiving(string path, List<string> warnings) : IOperationReporter
    {
        public void Progress(OperationProgress progress) { }
        public void Warning(string message) => warnings.Add(message);
        public void Verbose(string message)
        {
            if (message.Contains("archiving", StringComparison.Ordinal))
                File.AppendAllText(path, new string('b', 50_000));
        }
    }
}
