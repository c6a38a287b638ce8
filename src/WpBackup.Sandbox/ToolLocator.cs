namespace WpBackup.Sandbox;

/// <summary>
/// Finds executables by one of several names, on PATH and in the usual sbin/bin folders
/// (a non-root PATH often lacks /usr/sbin, where Debian puts mariadbd).
/// </summary>
public static class ToolLocator
{
    private static readonly string[] ExtraDirectories =
    [
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
        "/usr/local/mysql/bin", "/opt/homebrew/bin",
    ];

    /// <summary>The first existing executable among <paramref name="names"/> (in preference order).</summary>
    public static string? TryFind(params string[] names)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var directories = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraDirectories)
            .Distinct()
            .ToList();
        foreach (var name in names)
        {
            foreach (var dir in directories)
            {
                var candidate = Path.Combine(dir, name);
                if (IsExecutable(candidate)) return candidate;
            }
        }
        return null;
    }

    public static string Find(params string[] names) =>
        TryFind(names) ?? throw new FileNotFoundException(
            $"None of [{string.Join(", ", names)}] was found on PATH or in the usual sbin/bin folders. " +
            "On Debian/Ubuntu run .ci/install-deps.sh.");

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows()) return true;
        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
