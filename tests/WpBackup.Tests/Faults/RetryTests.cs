using WpBackup.Core;
using WpBackup.Core.Errors;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;
using WpBackup.Sandbox;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Faults;

/// <summary>Transient failures are tried again with growing waits, said, and counted.</summary>
public sealed class RetryTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private MariaDbServer? _server;

    private WpSite SiteOn(string socket)
    {
        var root = _temp.Combine("www", "retry.example", "htdocs");
        MiniSite.Create(root, $"<?php\ndefine('DB_NAME', 'retry');\ndefine('DB_USER', 'retry');\ndefine('DB_PASSWORD', 'retry-pass');\ndefine('DB_HOST', 'localhost:{socket}');\n");
        return new SiteFinder().Describe(WpBackup.Core.Hosts.LocalHost.Instance, root);
    }

    [Fact]
    public void A_database_server_that_comes_back_is_backed_up_on_a_later_attempt()
    {
        var dataDir = _temp.Combine("mariadb");
        _server = MariaDbServer.Start(dataDir);
        _server.CreateDatabase("retry", "retry", "retry-pass");
        var site = SiteOn(_server.SocketPath);
        _server.Stop();

        var warnings = new List<string>();
        var backup = new BackupRunner(new OnRetry(() => _server = MariaDbServer.Start(dataDir), warnings)).Run(new BackupRequest
        {
            Site = site, Type = BackupType.Database, Destination = _temp.Combine("backups"), RetryCount = 2, RetryDelay = TimeSpan.FromMilliseconds(100),
        });

        Assert.Equal(1, backup.Retries);
        Assert.Contains(warnings, w => w.Contains("attempt 1 of 3 failed", StringComparison.Ordinal) && w.Contains("trying again in 0.1 s", StringComparison.Ordinal));
        Assert.Single(new BackupCatalog(_temp.Combine("backups")).List());
    }

    [Fact]
    public void A_failure_that_lasts_is_reported_after_the_last_attempt_and_a_permanent_one_is_not_retried()
    {
        var warnings = new List<string>();
        var site = SiteOn(_temp.Combine("no-such.sock"));
        var error = Assert.Throws<DatabaseException>(() => new BackupRunner(new OnRetry(() => { }, warnings)).Run(new BackupRequest
        {
            Site = site, Type = BackupType.Database, Destination = _temp.Combine("backups"), RetryCount = 2, RetryDelay = TimeSpan.FromMilliseconds(50),
        }));
        Assert.Equal("DatabaseUnreachable", error.ErrorId);
        Assert.Equal(2, warnings.Count(w => w.Contains("trying again", StringComparison.Ordinal)));

        warnings.Clear();
        Assert.Throws<WpConfigException>(() => new BackupRunner(new OnRetry(() => { }, warnings)).Run(new BackupRequest
        {
            Site = new SiteFinder().Describe(WpBackup.Core.Hosts.LocalHost.Instance, MiniSite.Create(_temp.Combine("www", "env.example", "htdocs"), "<?php define('DB_NAME', getenv('X'));")),
            Destination = _temp.Combine("backups"), RetryCount = 2, RetryDelay = TimeSpan.FromMilliseconds(50),
        }));
        Assert.Empty(warnings);
    }

    /// <summary>The waits the warnings announce, in order ("trying again in 0.1 s" → 0.1).</summary>
    private static List<double> AnnouncedWaits(IEnumerable<string> warnings) =>
        warnings.Select(w => System.Text.RegularExpressions.Regex.Match(w, @"attempt (\d+) of (\d+) failed .*trying again in ([0-9.]+) s$"))
            .Where(m => m.Success).Select(m => double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [Fact]
    public void With_RetryCount_3_a_lasting_failure_is_tried_four_times_with_doubling_waits()
    {
        var warnings = new List<string>();
        var site = SiteOn(_temp.Combine("no-such.sock"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<DatabaseException>(() => new BackupRunner(new OnRetry(() => { }, warnings)).Run(new BackupRequest
        {
            Site = site, Type = BackupType.Database, Destination = _temp.Combine("backups"), RetryCount = 3, RetryDelay = TimeSpan.FromMilliseconds(100),
        }));
        clock.Stop();

        Assert.Equal("DatabaseUnreachable", error.ErrorId);
        Assert.Equal([0.1, 0.2, 0.4], AnnouncedWaits(warnings));
        Assert.Equal(["attempt 1 of 4", "attempt 2 of 4", "attempt 3 of 4"],
            warnings.Select(w => System.Text.RegularExpressions.Regex.Match(w, @"attempt \d+ of \d+").Value).Where(m => m.Length > 0));
        Assert.All(warnings, w => Assert.StartsWith("retry.example: ", w));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(700), $"the three waits (0.7 s) were not waited: {clock.Elapsed}");
        Assert.Empty(new BackupCatalog(_temp.Combine("backups")).List());
    }

    [Fact]
    public void With_RetryCount_3_a_server_back_after_the_third_failure_gives_a_backup_with_Retries_3()
    {
        var dataDir = _temp.Combine("mariadb");
        _server = MariaDbServer.Start(dataDir);
        _server.CreateDatabase("retry", "retry", "retry-pass");
        var site = SiteOn(_server.SocketPath);
        _server.Stop();

        var warnings = new List<string>();
        var backup = new BackupRunner(new OnRetry(() =>
        {
            if (warnings.Count == 3)
                _server = MariaDbServer.Start(dataDir);
        }, warnings)).Run(new BackupRequest
        {
            Site = site, Type = BackupType.Database, Destination = _temp.Combine("backups"), RetryCount = 3, RetryDelay = TimeSpan.FromMilliseconds(100),
        });

        Assert.Equal(3, backup.Retries);
        Assert.Equal([0.1, 0.2, 0.4], AnnouncedWaits(warnings));
        Assert.Equal(3, Assert.Single(new BackupCatalog(_temp.Combine("backups")).List()).Retries);
    }

    /// <summary>A running server with the site's database holding one table with one row; returns the site.</summary>
    private WpSite SiteOnRunningServer()
    {
        _server = MariaDbServer.Start(_temp.Combine("mariadb"));
        _server.CreateDatabase("retry", "retry", "retry-pass");
        _server.Query("CREATE TABLE retry.wp_options (option_id INT PRIMARY KEY, option_value TEXT); INSERT INTO retry.wp_options VALUES (1, 'busy-canary');");
        return SiteOn(_server.SocketPath);
    }

    private WpBackup.Core.WpBackup BackUpTryingAgainAfter(WpSite site, Action onRetry, List<string> warnings) =>
        new BackupRunner(new OnRetry(onRetry, warnings)).Run(new BackupRequest
        {
            Site = site, Type = BackupType.Database, Destination = _temp.Combine("backups"), RetryCount = 2, RetryDelay = TimeSpan.FromMilliseconds(100),
        });

    private void AssertOneBackupWithOneRetry(WpBackup.Core.WpBackup backup)
    {
        Assert.Equal(1, backup.Retries);
        Assert.Equal(1, Assert.Single(new BackupCatalog(_temp.Combine("backups")).List()).Retries);
        var (exit, dump, error) = Processes.Run("tar", "--zstd", "-xOf", backup.Path, WpBackup.Core.Archives.ArchiveLayout.DatabaseEntry);
        Assert.True(exit == 0, error);
        Assert.Contains("busy-canary", dump);
    }

    [Fact]
    public void A_server_refusing_logins_with_too_many_connections_is_backed_up_once_it_has_room()
    {
        const int limit = 10; // the smallest max_connections MariaDB accepts
        var site = SiteOnRunningServer();
        _server!.Query($"SET GLOBAL max_connections = {limit}");
        var held = new List<HeldSession>();
        try
        {
            for (var i = 0; i < limit; i++)
                held.Add(new HeldSession(_server));
            var refused = Assert.Throws<DatabaseException>(() => new WpBackup.Core.Database.MySqlClientTools(WpBackup.Core.Hosts.LocalHost.Instance).Query(site.Database, "DO 1"));
            Assert.Equal("DatabaseBusy", refused.ErrorId); // the condition is real: the site's own login is refused now

            var warnings = new List<string>();
            var backup = BackUpTryingAgainAfter(site, () => held[0].Run("SET GLOBAL max_connections = 200"), warnings);

            var warning = Assert.Single(warnings);
            Assert.Contains("attempt 1 of 3 failed", warning);
            Assert.Contains("Too many connections", warning);
            AssertOneBackupWithOneRetry(backup);
        }
        finally
        {
            held.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public void A_site_user_at_its_max_user_connections_is_backed_up_once_the_limit_allows_another()
    {
        var site = SiteOnRunningServer();
        _server!.Query("ALTER USER 'retry'@'localhost' WITH MAX_USER_CONNECTIONS 1");
        // The site's own account already has its one connection, as PHP workers of a busy site on a shared host would.
        using var siteWorker = new HeldSession(_server, ClientOptionFile.Write(_temp.Combine("site-user.cnf"), "retry", "retry-pass", socket: _server.SocketPath));

        var warnings = new List<string>();
        var backup = BackUpTryingAgainAfter(site, () => _server.Query("ALTER USER 'retry'@'localhost' WITH MAX_USER_CONNECTIONS 0"), warnings);

        var warning = Assert.Single(warnings);
        Assert.Contains("attempt 1 of 3 failed", warning);
        Assert.Contains("max_user_connections", warning);
        AssertOneBackupWithOneRetry(backup);
    }

    [Fact]
    public void A_dump_that_times_out_on_a_locked_table_is_tried_again_once_the_lock_is_released()
    {
        var site = SiteOnRunningServer();
        _server!.Query("SET GLOBAL lock_wait_timeout = 1");
        using var locker = new HeldSession(_server);
        locker.Run("LOCK TABLES retry.wp_options WRITE");

        var warnings = new List<string>();
        var backup = BackUpTryingAgainAfter(site, () => locker.Run("UNLOCK TABLES"), warnings);

        var warning = Assert.Single(warnings);
        Assert.Contains("attempt 1 of 3 failed", warning);
        Assert.Contains("busy during dump", warning);
        Assert.Contains("Lock wait timeout", warning);
        AssertOneBackupWithOneRetry(backup);
    }

    /// <summary>The default -RetryCount and first wait the help and docs give are the code's.</summary>
    [Fact]
    public void The_documented_retry_defaults_are_the_codes()
    {
        var cmdletDefault = new WpBackup.Cmdlets.Commands.NewWpBackupCommand().RetryCount;
        var engineDefault = new BackupRequest { Site = SiteOn(_temp.Combine("x.sock")), Destination = _temp.Path }.RetryCount;
        Assert.Equal(engineDefault, cmdletDefault);

        using var ps = new PowerShellSession();
        var help = ps.Run("Get-Help New-WpBackup -Parameter RetryCount").ShouldSucceed().Output.Single();
        Assert.Equal(cmdletDefault.ToString(System.Globalization.CultureInfo.InvariantCulture), Help.HelpObjects.String(help, "defaultValue"));

        var firstWait = $"waiting {Retry.FirstDelay.TotalSeconds:0} s, then {2 * Retry.FirstDelay.TotalSeconds:0} s";
        var about = File.ReadAllText(Path.Combine(RepoPaths.Docs, "about_WpBackup.md"));
        Assert.Contains($"up to `-RetryCount` times (default {cmdletDefault}, at most 10), {firstWait}", about);
        var reference = File.ReadAllText(Path.Combine(RepoPaths.Docs, "New-WpBackup.md"));
        Assert.Contains($"up to `-RetryCount` times (default {cmdletDefault}), {firstWait}", reference);
        Assert.Contains($"It waits {Retry.FirstDelay.TotalSeconds:0} s before the first retry and twice as long before each next one.", reference);
    }

    public void Dispose()
    {
        _server?.Dispose();
        _temp.Dispose();
    }

    /// <summary>Collects warnings and runs <paramref name="act"/> on each that announces another attempt.</summary>
    private sealed class OnRetry(Action act, List<string> warnings) : IOperationReporter
    {
        public void Progress(OperationProgress progress) { }
        public void Verbose(string message) { }
        public void Warning(string message)
        {
            warnings.Add(message);
            if (message.Contains("trying again", StringComparison.Ordinal))
                act();
        }
    }
}
