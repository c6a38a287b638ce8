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
        var backup = new BackupRunner(new StartServerOnRetry(() => _server = MariaDbServer.Start(dataDir), warnings)).Run(new BackupRequest
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
        var error = Assert.Throws<DatabaseException>(() => new BackupRunner(new StartServerOnRetry(() => { }, warnings)).Run(new BackupRequest
        {
            Site = site, Type = BackupType.Database, Destination = _temp.Combine("backups"), RetryCount = 2, RetryDelay = TimeSpan.FromMilliseconds(50),
        }));
        Assert.Equal("DatabaseUnreachable", error.ErrorId);
        Assert.Equal(2, warnings.Count(w => w.Contains("trying again", StringComparison.Ordinal)));

        warnings.Clear();
        Assert.Throws<WpConfigException>(() => new BackupRunner(new StartServerOnRetry(() => { }, warnings)).Run(new BackupRequest
        {
            Site = new SiteFinder().Describe(WpBackup.Core.Hosts.LocalHost.Instance, MiniSite.Create(_temp.Combine("www", "env.example", "htdocs"), "<?php define('DB_NAME', getenv('X'));")),
            Destination = _temp.Combine("backups"), RetryCount = 2, RetryDelay = TimeSpan.FromMilliseconds(50),
        }));
        Assert.Empty(warnings);
    }

    public void Dispose()
    {
        _server?.Dispose();
        _temp.Dispose();
    }

    private sealed class StartServerOnRetry(Action start, List<string> warnings) : IOperationReporter
    {
        public void Progress(OperationProgress progress) { }
        public void Verbose(string message) { }
        public void Warning(string message)
        {
            warnings.Add(message);
            if (message.Contains("trying again", StringComparison.Ordinal))
                start();
        }
    }
}
