using System.Diagnostics;

namespace WpBackup.Sandbox;

/// <summary>
/// A private MariaDB server for tests: its own data directory, a unix socket in the base
/// directory and a free TCP port on 127.0.0.1. Nothing from /etc/mysql is read
/// (<c>--no-defaults</c> everywhere). The OS user running the tests is the server's
/// superuser through unix-socket authentication, so no admin password exists at all.
/// Dispose stops the server and waits until its process is gone.
/// </summary>
public sealed class MariaDbServer : IDisposable
{
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly EventHandler _killOnExit;
    private bool _stopped;

    private MariaDbServer(MariaDbTools tools, string baseDir, string adminUser, int port, Process process)
    {
        Tools = tools;
        BaseDir = baseDir;
        AdminUser = adminUser;
        Port = port;
        _process = process;
        // Last resort if the test host ends without disposing us (not on SIGKILL).
        _killOnExit = (_, _) => KillAndWait();
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
    }

    /// <summary>The TCP port the server listens on, at 127.0.0.1 only.</summary>
    public int Port { get; }

    /// <summary>The folder holding the data directory, socket, pid file and error log.</summary>
    public string BaseDir { get; }

    public string DataDir => Path.Combine(BaseDir, "data");
    public string SocketPath => Path.Combine(BaseDir, "mysql.sock");
    public string ErrorLogPath => Path.Combine(BaseDir, "mariadbd.err");
    public string PidFilePath => Path.Combine(BaseDir, "mariadbd.pid");

    /// <summary>The superuser account, authenticated by the unix socket as the current OS user.</summary>
    public string AdminUser { get; }

    public MariaDbTools Tools { get; }

    /// <summary>The server's process id while it runs.</summary>
    public int ProcessId => _process.Id;

    public bool IsRunning => !_stopped && !_process.HasExited;

    /// <summary>
    /// Creates (if needed) a data directory under <paramref name="baseDir"/>/data and starts a
    /// server on it; returns once it answers a ping. An existing data directory is reused, so a
    /// stopped server can be started again on the same base directory.
    /// </summary>
    public static MariaDbServer Start(string baseDir, TimeSpan? startTimeout = null)
    {
        var tools = MariaDbTools.Locate();
        baseDir = Path.GetFullPath(baseDir);
        Directory.CreateDirectory(baseDir);

        var socketPath = Path.Combine(baseDir, "mysql.sock");
        // sockaddr_un.sun_path is 108 bytes including the terminating NUL.
        if (System.Text.Encoding.UTF8.GetByteCount(socketPath) > 107)
            throw new ArgumentException($"The socket path would be too long for a unix socket: {socketPath}", nameof(baseDir));

        var isRoot = Environment.UserName == "root";
        var adminUser = isRoot ? "root" : Environment.UserName;
        var dataDir = Path.Combine(baseDir, "data");
        if (!Directory.Exists(Path.Combine(dataDir, "mysql")))
            InstallDataDirectory(tools, dataDir, isRoot, adminUser);

        var deadline = Stopwatch.StartNew();
        var limit = startTimeout ?? DefaultStartTimeout;
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var logOffset = File.Exists(Path.Combine(baseDir, "mariadbd.err"))
                ? new FileInfo(Path.Combine(baseDir, "mariadbd.err")).Length
                : 0;
            var process = Launch(tools, baseDir, port, isRoot);
            var server = new MariaDbServer(tools, baseDir, adminUser, port, process);
            try
            {
                server.WaitUntilReady(limit - deadline.Elapsed);
                return server;
            }
            catch (Exception ex)
            {
                server.Abandon();
                var log = server.ReadErrorLog(logOffset);
                // Another process may have taken the port between FreePort.Next() and bind().
                if (attempt < 3 && log.Contains("already in use", StringComparison.OrdinalIgnoreCase))
                    continue;
                throw new InvalidOperationException(
                    $"MariaDB did not start in {baseDir}: {ex.Message}{Environment.NewLine}{Tail(log, 40)}", ex);
            }
        }
    }

    private static void InstallDataDirectory(MariaDbTools tools, string dataDir, bool isRoot, string adminUser)
    {
        var args = new List<string>
        {
            "--no-defaults",
            $"--datadir={dataDir}",
            "--auth-root-authentication-method=socket",
            "--skip-test-db",
            "--skip-name-resolve",
            $"--innodb-log-file-size={ServerSettings.InnoDbLogFileSize}",
        };
        args.Add(isRoot ? "--user=root" : $"--auth-root-socket-user={adminUser}");
        var result = ProcessRunner.Run(tools.InstallDb, args, timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
            throw new InvalidOperationException(
                $"{Path.GetFileName(tools.InstallDb)} failed (exit {result.ExitCode}):{Environment.NewLine}" +
                Tail(result.StandardError + result.StandardOutput, 40));
    }

    private static Process Launch(MariaDbTools tools, string baseDir, int port, bool isRoot)
    {
        var psi = new ProcessStartInfo(tools.Server)
        {
            UseShellExecute = false,
            // Redirected so the server never holds the test host's stdout/stderr open.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in ServerSettings.Arguments(baseDir, port, isRoot)) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {tools.Server}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return process;
    }

    private void WaitUntilReady(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"mariadbd exited with code {_process.ExitCode} during startup.");
            var ping = ProcessRunner.Run(Tools.Admin,
                ["--no-defaults", $"--socket={SocketPath}", $"--user={AdminUser}", "--connect-timeout=2", "ping"],
                timeout: TimeSpan.FromSeconds(10));
            if (ping.ExitCode == 0) return;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"mariadbd did not answer a ping within {timeout.TotalSeconds:0} s.");
            Thread.Sleep(50); // poll interval, not synchronisation: the ping above decides.
        }
    }

    /// <summary>
    /// Runs SQL as the superuser through the socket (<c>mariadb -N -B</c>, SQL on stdin) and
    /// returns stdout: tab-separated rows without a header, with batch-mode escaping
    /// (a tab in a value comes back as <c>\t</c>, a newline as <c>\n</c>, a backslash as <c>\\</c>).
    /// Throws with the client's stderr when the statement fails.
    /// </summary>
    public string Query(string sql, string? database = null) => RunSql(sql, database, secret: null);

    /// <summary>
    /// Creates a utf8mb4 database and the account <paramref name="user"/> at both
    /// '127.0.0.1' (TCP logins, the server skips name resolution) and 'localhost' (socket
    /// logins), with all privileges on that database only. The password travels on the
    /// client's stdin as an escaped literal, never on a command line, and is redacted from errors.
    /// </summary>
    public void CreateDatabase(string name, string user, string password)
    {
        var db = SqlText.Identifier(name);
        var grantDb = SqlText.GrantDatabase(name);
        var pw = SqlText.Literal(password);
        var sql = $"""
            CREATE DATABASE {db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
            CREATE USER {SqlText.Account(user, "127.0.0.1")} IDENTIFIED BY {pw};
            CREATE USER {SqlText.Account(user, "localhost")} IDENTIFIED BY {pw};
            GRANT ALL PRIVILEGES ON {grantDb}.* TO {SqlText.Account(user, "127.0.0.1")};
            GRANT ALL PRIVILEGES ON {grantDb}.* TO {SqlText.Account(user, "localhost")};
            """;
        RunSql(sql, database: null, secret: password);
    }

    /// <summary>Drops the database if it exists, and the account's two host entries when <paramref name="user"/> is given.</summary>
    public void DropDatabase(string name, string? user = null)
    {
        var sql = $"DROP DATABASE IF EXISTS {SqlText.Identifier(name)};";
        if (user is not null)
            sql += $"\nDROP USER IF EXISTS {SqlText.Account(user, "127.0.0.1")}, {SqlText.Account(user, "localhost")};";
        RunSql(sql, database: null, secret: null);
    }

    private string RunSql(string sql, string? database, string? secret)
    {
        if (!IsRunning) throw new InvalidOperationException("The MariaDB server is not running.");
        var args = new List<string>
        {
            "--no-defaults", $"--socket={SocketPath}", $"--user={AdminUser}",
            "--default-character-set=utf8mb4", "-N", "-B",
        };
        if (database is not null) args.Add($"--database={database}");
        var result = ProcessRunner.Run(Tools.Client, args, standardInput: sql, timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            var error = result.StandardError.Trim();
            if (!string.IsNullOrEmpty(secret))
                error = error.Replace(SqlText.Literal(secret)[1..^1], "***").Replace(secret, "***");
            throw new InvalidOperationException($"mariadb exited with code {result.ExitCode}: {error}");
        }
        return result.StandardOutput;
    }

    /// <summary>Shuts the server down cleanly (killing it if it does not stop within 30 s) and waits for its process to end.</summary>
    public void Stop()
    {
        if (_stopped) return;
        try
        {
            if (!_process.HasExited)
            {
                // The SQL SHUTDOWN statement is what `mariadb-admin shutdown` sends, without the
                // tool's one-second pid-file polling; we wait on the process handle instead.
                try
                {
                    ProcessRunner.Run(Tools.Client,
                        ["--no-defaults", $"--socket={SocketPath}", $"--user={AdminUser}", "--connect-timeout=2"],
                        standardInput: "SHUTDOWN;", timeout: StopTimeout);
                }
                catch (TimeoutException) { }
                if (!_process.WaitForExit(StopTimeout)) KillAndWait();
            }
            _process.WaitForExit();
        }
        finally
        {
            _stopped = true;
            AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
            _process.Dispose();
        }
    }

    public void Dispose() => Stop();

    private void Abandon()
    {
        KillAndWait();
        _stopped = true;
        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        _process.Dispose();
    }

    private void KillAndWait()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException) { }
    }

    /// <summary>The server's error log from <paramref name="offset"/> on (empty if none yet).</summary>
    public string ReadErrorLog(long offset = 0)
    {
        if (!File.Exists(ErrorLogPath)) return "";
        using var stream = new FileStream(ErrorLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        return new StreamReader(stream).ReadToEnd();
    }

    private static string Tail(string text, int lines) =>
        string.Join(Environment.NewLine, text.Split('\n').TakeLast(lines).Select(l => l.TrimEnd('\r')));

    public override string ToString() => $"MariaDB on 127.0.0.1:{Port} ({SocketPath})";
}
