using System.Diagnostics;
using System.Globalization;
using WpBackup.Core;
using WpBackup.Core.Hosts.Ssh;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using Xunit.Abstractions;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Remote;

/// <summary>
/// 200 small sites on one server behind the real sshd, backed up from one pipeline side by side:
/// all succeed in order over one SSH connection, the per-host and per-database-server limits
/// hold (seen in the server's own process table), and no connection or file handle leaks.
/// </summary>
[Collection("remote-alone")]
public sealed class RemoteLoadTests(SshdFixture sshd, MariaDbFixture db, ITestOutputHelper output) : IDisposable
{
    private const int Count = 200;
    private const int PerHost = 4;
    private const int HandleTolerance = 20; // runtime-owned handles (thread pool, timers, GC) come and go
    private readonly PowerShellSession _ps = new();
    private readonly string _root = Path.Combine(sshd.UserHome, "load-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Two_hundred_remote_sites_over_one_sshd_with_ThrottleLimit_8_succeed_in_order_within_limits_without_leaks()
    {
        var prefix = "rload_" + Guid.NewGuid().ToString("N")[..6];
        var sql = new System.Text.StringBuilder();
        for (var i = 0; i < Count; i++)
        {
            var name = $"{prefix}_{i:000}";
            sql.Append($"CREATE DATABASE `{name}`; CREATE TABLE `{name}`.wp_options (option_id INT PRIMARY KEY, option_value TEXT); INSERT INTO `{name}`.wp_options VALUES (1, 'remote site {i}');");
            MiniSite.Create(Path.Combine(_root, $"site{i:000}.example", "htdocs"),
                $"<?php\ndefine('DB_NAME', '{name}');\ndefine('DB_USER', '{prefix}');\ndefine('DB_PASSWORD', 'remote-load-pass');\ndefine('DB_HOST', '127.0.0.1:{db.Server.Port}');\n");
        }
        db.Server.Query(sql.ToString());
        db.Server.Query($"CREATE USER '{prefix}'@'127.0.0.1' IDENTIFIED BY 'remote-load-pass'; GRANT ALL ON `{prefix}\\_%`.* TO '{prefix}'@'127.0.0.1';");
        Assert.Equal(0, Processes.Run("chown", "-R", $"{sshd.UserName}:{sshd.UserName}", _root).ExitCode);
        var knownHosts = Path.Combine(sshd.NewScratchDirectory("load-known"), "known_hosts");
        File.WriteAllText(knownHosts, sshd.KnownHostsLine + "\n");
        var dest = db.NewDirectory("remote-load-backups");

        // One site first, so code and runtime pieces that stay loaded for the process are not counted as leaks.
        _ps.Run($"Find-WpSite -ComputerName 127.0.0.1 -Port {sshd.Port} -UserName {sshd.UserName} -KeyFile '{sshd.Ed25519KeyPath}' -KnownHostsFile '{knownHosts}' -Path $p " +
                "| New-WpBackup -Type Full -Destination $d",
            new Dictionary<string, object?> { ["p"] = Path.Combine(_root, "site000.example"), ["d"] = db.NewDirectory("remote-load-warmup") }).ShouldSucceed();
        SshSessions.CloseAll();
        var baseline = WaitForConnections(n => n == 0, "the connections of earlier tests to close");
        var openedBefore = SshSessions.ConnectionsOpened;
        var handlesBefore = OpenHandles();
        var rssBefore = Rss("VmRSS");

        using var sampler = new PeakSampler(() => new Dictionary<string, int>(ProcessTable.CountRunning(argv => Kind(argv, prefix)))
        {
            ["connections"] = Connections(),
        });
        var clock = Stopwatch.StartNew();
        var result = _ps.Run(
            $"Find-WpSite -ComputerName 127.0.0.1 -Port {sshd.Port} -UserName {sshd.UserName} -KeyFile '{sshd.Ed25519KeyPath}' -KnownHostsFile '{knownHosts}' -Path $p -Depth 2 " +
            $"| New-WpBackup -Type Full -ThrottleLimit 8 -ThrottleLimitPerHost {PerHost} -Destination $d",
            new Dictionary<string, object?> { ["p"] = _root, ["d"] = dest }).ShouldSucceed();
        clock.Stop();
        var (peak, samples) = sampler.Stop();
        var connectionsAfterRun = Connections();
        var openedDuringRun = SshSessions.ConnectionsOpened - openedBefore;

        SshSessions.CloseAll();
        var connectionsAfterClose = WaitForConnections(n => n == baseline, "the server to see the connection closed");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var handlesAfter = OpenHandles();
        output.WriteLine($"{Count} remote sites in {clock.Elapsed.TotalSeconds:F1} s ({samples} samples); " +
                         $"SSH connections: baseline {baseline}, peak {peak("connections")}, after the run {connectionsAfterRun}, after closing {connectionsAfterClose}; " +
                         $"peak concurrent remote tar {peak("tar")}, dumps {peak("dump")}; handles {handlesBefore.Count} -> {handlesAfter.Count}; " +
                         $"RSS {rssBefore / 1024} MB before, {Rss("VmRSS") / 1024} MB after, process peak (VmHWM) {Rss("VmHWM") / 1024} MB; " +
                         $"connections opened during the run {openedDuringRun}; handles opened and not closed: {string.Join(", ", handlesAfter.Except(handlesBefore))}");

        var backups = result.All<BackupInfo>().ToList();
        Assert.Equal(Count, backups.Count);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"site{i:000}.example"), backups.Select(b => b.Site));
        Assert.All(backups, b => Assert.Equal("127.0.0.1", b.ComputerName));
        Assert.All(backups, b => Assert.True(b.DatabaseSize > 0 && b.FileCount == 4, $"{b.Site}: {b.DatabaseSize} dump bytes, {b.FileCount} files"));
        Assert.Equal(Count, new BackupCatalog(dest).List().Count);

        Assert.Equal(1, openedDuringRun);        // one connection per server, reused by all 200 sites
        Assert.Equal(1, peak("connections"));
        Assert.Equal(1, connectionsAfterRun);    // kept for reuse until the process ends
        Assert.Equal(baseline, connectionsAfterClose);
        Assert.InRange(peak("tar"), 1, PerHost);   // at most -ThrottleLimitPerHost backups stream files from the server at once
        Assert.Equal(1, peak("dump"));            // one dump per database server at a time
        Assert.InRange(handlesAfter.Count, 0, handlesBefore.Count + HandleTolerance);
    }

    /// <summary>What each of this process's file descriptors refers to ("socket:[...]", a path, ...).</summary>
    private static List<string> OpenHandles()
    {
        var targets = new List<string>();
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            try { targets.Add(new FileInfo(fd).LinkTarget ?? fd); }
            catch (IOException) { } // closed while listed
        }
        return targets;
    }

    /// <summary>A line of /proc/self/status in kB (VmRSS: now, VmHWM: the process's peak).</summary>
    private static long Rss(string field) =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>
    /// Established TCP connections accepted by the test sshd (server-side sockets on its port), counted by
    /// socket inode: the kernel prints /proc/net/tcp a page at a time, and while other connections come
    /// and go between two reads the same socket can be printed twice.
    /// </summary>
    private int Connections()
    {
        var local = ":" + sshd.Port.ToString("X4", CultureInfo.InvariantCulture);
        return File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[1].EndsWith(local, StringComparison.Ordinal) && f[3] == "01")
            .Select(f => f[9])
            .Distinct(StringComparer.Ordinal)
            .Count();
    }

    /// <summary>"tar" for a tar streaming one of this test's sites, "dump" for a dump of one of its databases.</summary>
    private string? Kind(string[] argv, string databasePrefix) =>
        Path.GetFileName(argv[0]) == "tar" && argv.Any(a => a.StartsWith(_root + "/", StringComparison.Ordinal)) ? "tar"
        : ProcessTable.IsDumpOf(argv, databasePrefix) ? "dump"
        : null;

    private int WaitForConnections(Func<int, bool> done, string what) => Poll.Until(Connections, done, what + " (established connections)");

    public void Dispose()
    {
        _ps.Dispose();
        try { Directory.Delete(_root, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
