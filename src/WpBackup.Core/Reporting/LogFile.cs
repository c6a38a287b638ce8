using System.Globalization;
using System.Text;

namespace WpBackup.Core.Reporting;

/// <summary>
/// An append-only, owner-only (0600) log of what runs did, one timestamped line per event,
/// rotated when it grows past a size: log → log.1 → … → log.N, the oldest dropped.
/// Safe to write from several threads.
/// </summary>
public sealed class LogFile(string path, long maxBytes = LogFile.DefaultMaxBytes, int keep = LogFile.DefaultKeep)
{
    public const long DefaultMaxBytes = 10L << 20;
    public const int DefaultKeep = 5;

    private readonly object _gate = new();

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public void Write(string level, string message)
    {
        var line = Encoding.UTF8.GetBytes(
            $"{DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture)} {level,-7} {message.ReplaceLineEndings(" ")}\n");
        lock (_gate)
        {
            if (File.Exists(Path) && new FileInfo(Path).Length + line.Length > maxBytes)
                Rotate();
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using var file = new FileStream(Path, options);
            file.Write(line);
        }
    }

    private void Rotate()
    {
        File.Delete($"{Path}.{keep}");
        for (var n = keep - 1; n >= 1; n--)
        {
            if (File.Exists($"{Path}.{n}"))
                File.Move($"{Path}.{n}", $"{Path}.{n + 1}");
        }
        File.Move(Path, $"{Path}.1");
    }
}
