using System.Diagnostics;
using WpBackup.Core;
using WpBackup.Core.Operations;
using WpBackup.Core.Sites;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;
using Xunit.Abstractions;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Faults;

/// <summary>
/// Many sites from one pipeline, side by side: all succeed, in order, one dump per database server at a
/// time (seen in the process table), without leaking handles or database connections.
/// </summary>
[Collection("mariadb")]
public sealed class LoadTests(MariaDbFixture db, ITestOutputHelper output) : IDisposable
{
    private readonly PowerShellSession _ps = new();

    [Fact]
    public void Two_hundred_sites_with_ThrottleLimit_8_all_succeed_in_order_without_leaks()
    {
        const int count = 200;
        var www = db.NewDirectory("load-www");
        var prefix = $"load_{Guid.NewGuid().ToString("N")[..6]}_";
        var sql = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var name = $"{prefix}{i:000}";
            sql.Append($"CREATE DATABASE `{name}`; CREATE TABLE `{name}`.wp_options (option_id INT PRIMARY KEY, option_value TEXT); INSERT INTO `{name}`.wp_options VALUES (1, 'site {i}');");
            MiniSite.Create(Path.Combine(www, $"site{i:000}.example", "htdocs"),
                $"<?php\ndefine('DB_NAME', '{name}');\ndefine('DB_USER', 'loaduser');\ndefine('DB_PASSWORD', 'load-pass');\ndefine('DB_HOST', '127.0.0.1:{db.Server.Port}');\n");
        }
        db.Server.Query(sql.ToString());
        db.Server.Query("CREATE USER IF NOT EXISTS 'loaduser'@'127.0.0.1' IDENTIFIED BY 'load-pass'; GRANT ALL ON `load%`.* TO 'loaduser'@'127.0.0.1';");
        var dest = db.NewDirectory("load-backups");

        var connectionsBefore = ThreadsConnected();
        var handlesBefore = Directory.GetFiles("/proc/self/fd").Length;
        using var sampler = new PeakSampler(() => ProcessTable.CountRunning(argv => ProcessTable.IsDumpOf(argv, prefix) ? "dump" : null));
        var clock = Stopwatch.StartNew();
        var result = _ps.Run("Find-WpSite -Path $w -Depth 2 | New-WpBackup -Type Full -ThrottleLimit 8 -Destination $d",
            new Dictionary<string, object?> { ["w"] = www, ["d"] = dest }).ShouldSucceed();
        clock.Stop();
        var (peak, samples) = sampler.Stop();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var handlesAfter = Directory.GetFiles("/proc/self/fd").Length;
        // The server ends a connection a moment after its client has gone: wait until it has let go of the backups' ones.
        var loaduserAfter = Poll.Until(() => Connections("loaduser"), n => n == 0, "the server to end the backups' connections");
        var connectionsAfter = Poll.Until(ThreadsConnected, n => n <= connectionsBefore, $"Threads_connected to return to {connectionsBefore}");
        using var self = Process.GetCurrentProcess();
        output.WriteLine($"{count} sites in {clock.Elapsed.TotalSeconds:F1} s ({samples} samples); peak concurrent dumps {peak("dump")}; " +
                         $"server connections {connectionsBefore} -> {connectionsAfter}; handles {handlesBefore} -> {handlesAfter}; peak working set {self.PeakWorkingSet64 / 1048576} MB");

        var backups = result.All<BackupInfo>().ToList();
        Assert.Equal(count, backups.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"site{i:000}.example"), backups.Select(b => b.Site));
        Assert.All(backups, b => Assert.True(b.DatabaseSize > 0));
        Assert.Equal(count, new BackupCatalog(dest).List().Count);
        Assert.InRange(handlesAfter, 0, handlesBefore + 20);
        Assert.Equal(1, peak("dump"));      // one dump per database server at a time, eight sites side by side
        Assert.Equal(0, loaduserAfter);
        Assert.InRange(connectionsAfter, 0, connectionsBefore);
    }

    /// <summary>The server's Threads_connected (this query's own connection included, before as after).</summary>
    private int ThreadsConnected() =>
        int.Parse(db.Server.Query("SHOW STATUS LIKE 'Threads_connected'").Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The connections the server holds for an account.</summary>
    private int Connections(string user) =>
        int.Parse(db.Server.Query($"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '{user}'"), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void One_dump_per_database_server_at_a_time()
    {
        var gates = new ConcurrencyGates(perHost: 4);
        var inside = 0;
        var most = 0;
        Parallel.For(0, 16, _ =>
        {
            using (gates.EnterDatabaseServer("localhost|127.0.0.1|3306|", CancellationToken.None))
            {
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                Thread.SpinWait(200_000);
                Interlocked.Decrement(ref inside);
            }
        });
        Assert.Equal(1, most);

        var hostMost = 0;
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            using (gates.EnterHost("web1", CancellationToken.None))
            {
                InterlockedMax(ref hostMost, Interlocked.Increment(ref inside));
                Thread.SpinWait(200_000);
                Interlocked.Decrement(ref inside);
            }
        });
        Assert.InRange(hostMost, 1, 4);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    public void Dispose() => _ps.Dispose();
}
