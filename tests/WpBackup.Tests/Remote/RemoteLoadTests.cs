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

        using var sampler = new ServerSampler(sshd.Port, _root, prefix);
        var clock = Stopwatch.StartNew();
        var result = _ps.Run(
            $"Find-WpSite -ComputerName 127.0.0.1 -Port {sshd.Port} -UserName {sshd.UserName} -KeyFile '{sshd.Ed25519KeyPath}' -KnownHostsFile '{knownHosts}' -Path $p -Depth 2 " +
            $"| New-WpBackup -Type Full -ThrottleLimit 8 -ThrottleLimitPerHost {PerHost} -Destination $d",
            new Dictionary<string, object?> { ["p"] = _root, ["d"] = dest }).ShouldSucceed();
        clock.Stop();
        var peaks = sampler.Stop();
        var connectionsAfterRun = Connections();
        var openedDuringRun = SshSessions.ConnectionsOpened - openedBefore;

        SshSessions.CloseAll();
        var connectionsAfterClose = WaitForConnections(n => n == baseline, "the server to see the connection closed");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var handlesAfter = OpenHandles();
        output.WriteLine($"{Count} remote sites in {clock.Elapsed.TotalSeconds:F1} s ({peaks.Samples} samples); " +
                         $"SSH connections: baseline {baseline}, peak {peaks.Connections}, after the run {connectionsAfterRun}, after closing {connectionsAfterClose}; " +
                         $"peak concurrent remote tar {peaks.Tars}, dumps {peaks.Dumps}; handles {handlesBefore.Count} -> {handlesAfter.Count}; " +
                         $"RSS {rssBefore / 1024} MB before, {Rss("VmRSS") / 1024} MB after, process peak (VmHWM) {Rss("VmHWM") / 1024} MB; " +
                         $"connections opened during the run {openedDuringRun}; handles opened and not closed: {string.Join(", ", handlesAfter.Except(handlesBefore))}");

        var backups = result.All<BackupInfo>().ToList();
        Assert.Equal(Count, backups.Count);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"site{i:000}.example"), backups.Select(b => b.Site));
        Assert.All(backups, b => Assert.Equal("127.0.0.1", b.ComputerName));
        Assert.All(backups, b => Assert.True(b.DatabaseSize > 0 && b.FileCount == 4, $"{b.Site}: {b.DatabaseSize} dump bytes, {b.FileCount} files"));
        Assert.Equal(Count, new BackupCatalog(dest).List().Count);

        Assert.Equal(1, openedDuringRun);        // one connection per server, reused by all 200 sites
        Assert.Equal(1, peaks.Connections);
        Assert.Equal(1, connectionsAfterRun);    // kept for reuse until the process ends
        Assert.Equal(baseline, connectionsAfterClose);
        Assert.InRange(peaks.Tars, 1, PerHost);   // at most -ThrottleLimitPerHost backups stream files from the server at once
        Assert.Equal(1, peaks.Dumps);            // one dump per database server at a time
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

    /// <summary>Established TCP connections accepted by the test sshd (server-side sockets on its port).</summary>
    private int Connections() => ServerSampler.EstablishedOn(sshd.Port);

    private int WaitForConnections(Func<int, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        int now;
        while (!done(now = Connections()))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting for {what}: {now} established");
            Thread.Sleep(20); // polling the kernel's table; the condition, not the delay, ends the wait
        }
        return now;
    }

    public void Dispose()
    {
        _ps.Dispose();
        try { Directory.Delete(_root, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>Samples, on a background thread, the sshd's connections and the server-side tar and dump processes of this test.</summary>
    private sealed class ServerSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<(int Connections, int Tars, int Dumps, int Samples)> _task;

        public ServerSampler(int port, string root, string databasePrefix)
        {
            _task = Task.Factory.StartNew(() =>
            {
                int connections = 0, tars = 0, dumps = 0, samples = 0;
                while (!_stop.IsCancellationRequested)
                {
                    connections = Math.Max(connections, EstablishedOn(port));
                    var (t, d) = CountProcesses(root, databasePrefix);
                    tars = Math.Max(tars, t);
                    dumps = Math.Max(dumps, d);
                    samples++;
                    _stop.Token.WaitHandle.WaitOne(20);
                }
                return (connections, tars, dumps, samples);
            }, TaskCreationOptions.LongRunning);
        }

        public (int Connections, int Tars, int Dumps, int Samples) Stop()
        {
            _stop.Cancel();
            return _task.GetAwaiter().GetResult();
        }

        /// <summary>
        /// Counted by socket inode: the kernel prints /proc/net/tcp a page at a time, and while other
        /// connections come and go between two reads the same socket can be printed twice.
        /// </summary>
        public static int EstablishedOn(int port)
        {
            var local = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
            return File.ReadLines("/proc/net/tcp").Skip(1)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f[1].EndsWith(local, StringComparison.Ordinal) && f[3] == "01")
                .Select(f => f[9])
                .Distinct(StringComparer.Ordinal)
                .Count();
        }

        /// <summary>
        /// Processes of this test on the server at one instant. A sweep of /proc is not atomic (one
        /// tar may end and the next start while it runs), so only those still running when the
        /// sweep ends are counted: they were all alive together at that moment.
        /// </summary>
        private static (int Tars, int Dumps) CountProcesses(string root, string databasePrefix)
        {
            var seen = new List<(string Dir, bool Tar)>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!char.IsAsciiDigit(Path.GetFileName(dir)[0]))
                    continue;
                if (Classify(dir, root, databasePrefix) is { } tar)
                    seen.Add((dir, tar));
            }
            var alive = seen.Where(p => Classify(p.Dir, root, databasePrefix) == p.Tar).ToList();
            return (alive.Count(p => p.Tar), alive.Count(p => !p.Tar));
        }

        /// <returns>true for a tar streaming one of this test's sites, false for a dump of one of its databases, null otherwise or when gone.</returns>
        private static bool? Classify(string dir, string root, string databasePrefix)
        {
            string[] argv;
            try { argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0'); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; } // ended meanwhile
            var program = Path.GetFileName(argv[0]);
            if (program == "tar" && argv.Any(a => a.StartsWith(root + "/", StringComparison.Ordinal)))
                return true;
            if (program is "mariadb-dump" or "mysqldump" && argv.Any(a => a.StartsWith(databasePrefix, StringComparison.Ordinal)))
                return false;
            return null;
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { _task.Wait(); } catch (AggregateException) { }
            _stop.Dispose();
        }
    }
}
