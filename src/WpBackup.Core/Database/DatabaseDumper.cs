using System.Security.Cryptography;
using WpBackup.Core.Sites;
using WpBackup.Core.Text;

namespace WpBackup.Core.Database;

/// <summary>Streams a consistent dump of a site's database out of the server's own dump tool.</summary>
public sealed class DatabaseDumper(MySqlClientTools tools)
{
    /// <summary>What mysqldump/mariadb-dump write last when a dump is whole.</summary>
    public const string CompletionMarker = "-- Dump completed";

    private static readonly string[] DumpOptions =
    [
        "--single-transaction", // consistent InnoDB snapshot without locking the site
        "--quick",
        "--routines",
        "--triggers",
        "--hex-blob",
        "--no-tablespaces",     // needs no PROCESS privilege, which WordPress users lack
        "--skip-dump-date",     // identical databases give identical dumps
        "--default-character-set=utf8mb4",
    ];

    public DumpResult Dump(DatabaseSettings database, Stream output, Action<long>? onBytes = null, CancellationToken cancel = default)
    {
        var program = tools.DumpProgram;
        using var process = tools.StartWithLoginOnStdin(program, database, [.. DumpOptions, "--", database.Name]);
        using var registration = cancel.Register(process.Kill);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var tail = new TailBuffer(64);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, read);
            hash.AppendData(buffer, 0, read);
            tail.Append(buffer.AsSpan(0, read));
            size += read;
            onBytes?.Invoke(size);
        }
        var (exitCode, stderr) = process.WaitForExit();
        cancel.ThrowIfCancellationRequested();
        if (exitCode != 0)
            throw tools.Failure(database, "dump", stderr);
        var completed = EndsWithCompletionMarker(tail.Bytes);
        if (!completed)
            throw new Errors.DatabaseException("DumpIncomplete",
                $"{Path.GetFileName(program)} exited without its completion marker for database '{database.Name}'; the dump is cut short. {stderr.Trim()}");
        return new DumpResult(size, Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant(), completed, Path.GetFileName(program));
    }

    /// <summary>Whether a dump's last bytes hold the tool's completion marker.</summary>
    public static bool EndsWithCompletionMarker(ReadOnlySpan<byte> tail) =>
        System.Text.Encoding.UTF8.GetString(tail).Contains(CompletionMarker, StringComparison.Ordinal);
}
