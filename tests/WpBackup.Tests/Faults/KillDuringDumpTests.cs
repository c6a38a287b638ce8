using System.Diagnostics;
using WpBackup.Core;
using WpBackup.Core.Operations;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;
using Xunit.Abstractions;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Faults;

/// <summary>
/// kill -9 of a <c>wpbackup</c> process while the server's dump tool is streaming a large database
/// into the run's work folder: nothing is listed, no dump or password is left once the next run
/// has cleaned up (and said so), and that run takes the lock over and succeeds.
/// </summary>
[Collection("mariadb")]
public sealed class KillDuringDumpTests(MariaDbFixture db, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly PowerShellSession _ps = new();
    private readonly string _password = "kill-dump " + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Kill_9_during_the_database_dump_leaves_nothing_listed_no_secret_and_the_next_run_recovers()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var database = "killdump_" + suffix;
        var user = "kd_" + suffix;
        // About 64 MB of rows, so the dump is still streaming when the test sees it start.
        db.Server.Query($"CREATE DATABASE `{database}`; CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{_password}'; GRANT ALL ON `{database}`.* TO '{user}'@'127.0.0.1';");
        db.Server.Query("CREATE TABLE wp_big (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB; INSERT INTO wp_big SELECT seq, REPEAT(MD5(seq), 20) FROM seq_1_to_100000;", database);
        var root = MiniSite.Create(Path.Combine(db.NewDirectory("killdump-www"), "killdump.example", "htdocs"),
            $"<?php\ndefine('DB_NAME', '{database}');\ndefine('DB_USER', '{user}');\ndefine('DB_PASSWORD', '{_password}');\ndefine('DB_HOST', '127.0.0.1:{db.Server.Port}');\n$table_prefix = 'wp_';\n");
        var dest = db.NewDirectory("killdump-backups");
        var siteFolder = Path.Combine(dest, "killdump.example");

        using var process = ShellProcess.Start("-Command", $"New-WpBackup -Path '{root}' -Type Full -Destination '{dest}'");
        var (dumpFile, dumpTool) = await WaitForDumpInProgress(process, siteFolder);
        var dumpedBeforeKill = new FileInfo(dumpFile).Length;
        process.Kill(); // SIGKILL: no finally, no cleanup
        await process.WaitForExitAsync();
        await WaitUntilGone(dumpTool); // the orphaned dump tool dies on its broken pipe
        output.WriteLine($"killed pid {process.Id} with {dumpedBeforeKill:N0} dump bytes staged; dump tool pid {dumpTool}");

        Assert.Empty(new BackupCatalog(dest).List());
        Assert.True(File.Exists(Path.Combine(siteFolder, SiteLock.FileName)), "the dead run's lock stays until the next run");
        Assert.True(File.Exists(dumpFile), "the partial dump is still staged in the dead run's private work folder");
        Assert.Empty(FilesHolding(_password, Path.GetTempPath()));

        var next = _ps.Run("New-WpBackup -Path $p -Type Full -Destination $d", new Dictionary<string, object?> { ["p"] = root, ["d"] = dest }).ShouldSucceed();
        var backup = next.Single<BackupInfo>();
        Assert.Contains(next.Warnings, w => w.Contains($"took over the lock of pid {process.Id}", StringComparison.Ordinal) && w.Contains("removed 1 unfinished", StringComparison.Ordinal));
        Assert.Equal(backup.Id, Assert.Single(new BackupCatalog(dest).List()).Id);
        Assert.True(backup.DatabaseSize > 60_000_000, $"the next dump is whole: {backup.DatabaseSize:N0} bytes");
        Assert.False(File.Exists(dumpFile));
        Assert.Equal(new[] { Path.GetFileName(backup.Path), Path.GetFileName(BackupCatalog.SidecarPathFor(backup.Path)) }.Order(StringComparer.Ordinal),
            Directory.GetFileSystemEntries(siteFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(FilesHolding(_password, Path.GetTempPath()));
        Assert.DoesNotContain(_password, File.ReadAllText(BackupCatalog.SidecarPathFor(backup.Path)));

        var check = _ps.Run("Test-WpBackup -Path $a", new Dictionary<string, object?> { ["a"] = backup.Path }).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(check.Passed, string.Join("; ", check.Problems));
    }

    /// <summary>Waits until the run's staged dump holds bytes while its dump tool is still running; returns both.</summary>
    private static async Task<(string DumpFile, int DumpTool)> WaitForDumpInProgress(Process process, string siteFolder)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"the backup ended before its dump was seen in progress (exit code {(process.HasExited ? process.ExitCode : 0)})");
            Assert.True(clock.Elapsed < Limit, "the dump never started");
            var dumpFile = Directory.Exists(siteFolder)
                ? Directory.EnumerateDirectories(siteFolder, BackupCatalog.WorkFolderPrefix + "*")
                    .Select(work => Path.Combine(work, "database.sql")).FirstOrDefault(File.Exists)
                : null;
            if (dumpFile is not null && new FileInfo(dumpFile).Length > 0 && ChildNamed(process.Id, "mariadb-dump", "mysqldump") is { } tool)
                return (dumpFile, tool);
            await Task.Delay(10);
        }
    }

    private static int? ChildNamed(int parent, params string[] names)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                if (int.Parse(afterName[1]) == parent && names.Contains(name))
                    return pid;
            }
            catch (IOException) { } // the process ended while being read
        }
        return null;
    }

    private static async Task WaitUntilGone(int pid)
    {
        var clock = Stopwatch.StartNew();
        while (File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < Limit, $"the dump tool (pid {pid}) outlived its killed parent");
            await Task.Delay(10);
        }
    }

    /// <summary>Regular files directly in a folder whose content holds the text (the temp folder, where option files go).</summary>
    private static List<string> FilesHolding(string text, string folder) =>
        Directory.EnumerateFiles(folder, "wpbackup*")
            .Where(path =>
            {
                try { return File.ReadAllText(path).Contains(text, StringComparison.Ordinal); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
            })
            .ToList();

    public void Dispose() => _ps.Dispose();
}
