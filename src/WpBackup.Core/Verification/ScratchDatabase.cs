using System.Security.Cryptography;
using WpBackup.Core.Database;
using WpBackup.Core.Errors;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Verification;

/// <summary>
/// A database made only for a test restore and dropped on dispose. It is never one that
/// existed before: a name that is taken is refused, so a test cannot drop real data.
/// </summary>
internal sealed class ScratchDatabase : IDisposable
{
    public const string NamePrefix = "wpbackup_verify_";

    private readonly MySqlClientTools _tools;
    private readonly IOperationReporter _reporter;

    private ScratchDatabase(MySqlClientTools tools, DatabaseSettings settings, IOperationReporter reporter)
    {
        _tools = tools;
        Settings = settings;
        _reporter = reporter;
    }

    public DatabaseSettings Settings { get; }

    public static string NewName() => NamePrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    public static ScratchDatabase Create(MySqlClientTools tools, DatabaseSettings settings, IOperationReporter reporter)
    {
        var restorer = new DatabaseRestorer(tools);
        try
        {
            if (restorer.Exists(settings))
                throw new WpBackupException(FailureKind.InvalidArgument, "ScratchDatabaseExists",
                    $"The database '{settings.Name}' already exists on {Server(settings)}. Test-WpBackup -Deep only uses a database it creates itself, and drops it afterwards; leave out -ScratchDatabaseName or name one that does not exist.");
            tools.Query(settings, $"CREATE DATABASE {SqlText.Identifier(settings.Name)} CHARACTER SET utf8mb4", useDatabase: false);
        }
        catch (DatabaseException e) when (e.ErrorId is "DatabaseAccessDenied")
        {
            throw new DatabaseException("ScratchDatabaseAccessDenied",
                $"Cannot create the scratch database '{settings.Name}' as '{settings.User}' on {Server(settings)}: {e.Message} " +
                $"Test-WpBackup -Deep needs an account that may create, fill and drop it, e.g. GRANT ALL ON `{NamePrefix.Replace("_", "\\_")}%`.* TO that account; pass it with -ScratchDatabaseCredential.", e);
        }
        return new ScratchDatabase(tools, settings, reporter);
    }

    public void Load(Stream dump, Action<long> onBytes, CancellationToken cancel) =>
        new DatabaseRestorer(_tools).Restore(Settings, dump, onBytes, cancel);

    /// <summary>Tab-separated rows of a query in the scratch database.</summary>
    public IReadOnlyList<string> Query(string sql) => _tools.Query(Settings, sql);

    public void Dispose()
    {
        try
        {
            _tools.Query(Settings, $"DROP DATABASE IF EXISTS {SqlText.Identifier(Settings.Name)}", useDatabase: false);
            _reporter.Verbose($"dropped the scratch database '{Settings.Name}'");
        }
        catch (Exception e) when (e is WpBackupException or IOException)
        {
            _reporter.Warning($"Could not drop the scratch database '{Settings.Name}' on {Server(Settings)}; drop it by hand. {e.Message}");
        }
    }

    private static string Server(DatabaseSettings settings) =>
        settings.Socket is not null ? $"{settings.Host}:{settings.Socket}" : settings.Port is not null ? $"{settings.Host}:{settings.Port}" : settings.Host;
}
