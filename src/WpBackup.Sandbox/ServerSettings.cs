namespace WpBackup.Sandbox;

/// <summary>
/// The mariadbd command line of a sandbox server. Durability is traded for speed
/// (a throwaway server: the redo log is flushed once a second, no doublewrite), and the
/// character set matches Debian's packaged configuration (utf8mb4) rather than the
/// compiled-in latin1 that --no-defaults would otherwise give.
/// </summary>
internal static class ServerSettings
{
    public const string InnoDbLogFileSize = "16M";

    public static IEnumerable<string> Arguments(string baseDir, int port, bool isRoot)
    {
        yield return "--no-defaults"; // must come first
        yield return $"--datadir={Path.Combine(baseDir, "data")}";
        yield return $"--socket={Path.Combine(baseDir, "mysql.sock")}";
        yield return $"--pid-file={Path.Combine(baseDir, "mariadbd.pid")}";
        yield return $"--log-error={Path.Combine(baseDir, "mariadbd.err")}";
        yield return "--bind-address=127.0.0.1";
        yield return $"--port={port}";
        yield return "--skip-name-resolve";
        if (isRoot) yield return "--user=root";
        yield return "--character-set-server=utf8mb4";
        yield return "--collation-server=utf8mb4_general_ci";
        yield return "--innodb-buffer-pool-size=64M";
        yield return $"--innodb-log-file-size={InnoDbLogFileSize}";
        yield return "--innodb-flush-log-at-trx-commit=2";
        yield return "--innodb-doublewrite=0";
        yield return "--max-connections=200";
    }
}
