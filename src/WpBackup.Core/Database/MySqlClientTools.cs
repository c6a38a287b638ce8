using WpBackup.Core.Errors;
using WpBackup.Core.Hosts;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Database;

/// <summary>
/// Runs the server's own MySQL/MariaDB client tools on a host with the login on stdin or in a
/// private option file, and turns their failures into clear <see cref="DatabaseException"/>s.
/// </summary>
public sealed class MySqlClientTools(ISiteHost host)
{
    public ISiteHost Host => host;

    public string DumpProgram => Find("mariadb-dump", "mysqldump");
    public string ClientProgram => Find("mariadb", "mysql");

    /// <summary>Starts a client program; the option file must be the first argument, as the tools demand.</summary>
    public HostProcess Start(string program, PrivateFile optionFile, IEnumerable<string> arguments) =>
        host.Start(program, [$"--defaults-extra-file={optionFile.Path}", .. arguments]);

    /// <summary>
    /// Starts a client program that reads the login from its stdin, which is then closed:
    /// no option file exists at all, so nothing with the password can be left behind by a kill.
    /// Only for calls whose stdin carries no data (dumps, queries).
    /// </summary>
    public HostProcess StartWithLoginOnStdin(string program, DatabaseSettings database, IEnumerable<string> arguments)
    {
        var process = host.Start(program, ["--defaults-extra-file=/dev/stdin", .. arguments]);
        try
        {
            var login = System.Text.Encoding.UTF8.GetBytes(MySqlOptionFile.Render(database));
            process.StandardInput.Write(login, 0, login.Length);
            process.StandardInput.Close();
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>A 0600 option file, for calls whose stdin carries data (the restore's SQL import).</summary>
    public PrivateFile WriteOptionFile(DatabaseSettings database) =>
        host.CreatePrivateFile(MySqlOptionFile.Render(database));

    /// <summary>Runs one SQL statement and returns its tab-separated output lines.</summary>
    public IReadOnlyList<string> Query(DatabaseSettings database, string sql, bool useDatabase = true)
    {
        var arguments = new List<string> { "--batch", "--skip-column-names", "--execute", sql };
        if (useDatabase)
            arguments.AddRange(["--", database.Name]);
        using var process = StartWithLoginOnStdin(ClientProgram, database, arguments);
        var output = new StreamReader(process.StandardOutput).ReadToEnd();
        var (exitCode, stderr) = process.WaitForExit();
        if (exitCode != 0)
            throw Failure(database, "query", stderr);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Maps a client tool's error output to an exception that says what to do.</summary>
    public DatabaseException Failure(DatabaseSettings database, string stage, string stderr)
    {
        var detail = stderr.Trim();
        var where = $"database '{database.Name}' as '{database.User}' on {database} ({host.ComputerName})";
        if (detail.Contains("Access denied", StringComparison.OrdinalIgnoreCase))
            return new DatabaseException("DatabaseAccessDenied",
                $"Database login refused during {stage} for {where}: {detail}. Check DB_USER/DB_PASSWORD in wp-config.php or pass -DatabaseCredential.");
        if (detail.Contains("Unknown database", StringComparison.OrdinalIgnoreCase))
            return new DatabaseException("DatabaseMissing",
                $"The database does not exist ({stage}, {where}): {detail}. Check DB_NAME in wp-config.php or pass -DatabaseName.");
        if (detail.Contains("Can't connect", StringComparison.OrdinalIgnoreCase) ||
            detail.Contains("Unknown MySQL server host", StringComparison.OrdinalIgnoreCase) ||
            detail.Contains("Unknown server host", StringComparison.OrdinalIgnoreCase) ||
            detail.Contains("Lost connection", StringComparison.OrdinalIgnoreCase))
            return new DatabaseException("DatabaseUnreachable",
                $"Cannot reach the database server during {stage} ({where}): {detail}. Is the server running? Check DB_HOST or pass -DatabaseHost.");
        if (detail.Contains("Lock wait timeout", StringComparison.OrdinalIgnoreCase) ||
            detail.Contains("Deadlock found", StringComparison.OrdinalIgnoreCase) ||
            detail.Contains("Too many connections", StringComparison.OrdinalIgnoreCase) ||
            detail.Contains("'max_user_connections'", StringComparison.OrdinalIgnoreCase))
            return new DatabaseException("DatabaseBusy", $"The database server was too busy during {stage} ({where}): {detail}");
        return new DatabaseException("DatabaseFailed", $"The database {stage} failed for {where}: {detail}");
    }

    private string Find(params string[] names) =>
        host.FindProgram(names) ?? throw new DatabaseException("DatabaseToolMissing",
            $"None of {string.Join(", ", names)} is installed on {host.ComputerName}. Install the MariaDB or MySQL client tools (e.g. apt-get install mariadb-client).");
}
