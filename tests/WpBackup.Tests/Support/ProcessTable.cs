using System.Globalization;

namespace WpBackup.Tests.Support;

/// <summary>The machine's processes, read from /proc.</summary>
public static class ProcessTable
{
    /// <summary>The /proc folder of every process on the machine, with its pid.</summary>
    public static IEnumerable<(int Pid, string Folder)> All()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                yield return (pid, folder);
        }
    }

    /// <summary>A file of a process's /proc folder (cmdline, environ...), or null when the process ended or hides it.</summary>
    public static byte[]? Read(string folder, string part)
    {
        try { return File.ReadAllBytes(Path.Combine(folder, part)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>A process's argv, or null when it ended meanwhile.</summary>
    public static string[]? Argv(string folder) =>
        Read(folder, "cmdline") is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes).Split('\0') : null;

    /// <summary>
    /// How many processes of each kind run at one instant. A sweep of /proc is not atomic (one may end
    /// and the next start while it runs), so only those still running as they were when the sweep ends
    /// are counted: they were all alive together at that moment.
    /// </summary>
    /// <param name="kind">A process's kind from its argv; null for processes not counted.</param>
    public static Dictionary<string, int> CountRunning(Func<string[], string?> kind)
    {
        var seen = new List<(string Folder, string Kind)>();
        foreach (var (_, folder) in All())
        {
            if (Argv(folder) is { } argv && kind(argv) is { } k)
                seen.Add((folder, k));
        }
        return seen.Where(p => Argv(p.Folder) is { } argv && kind(argv) == p.Kind)
            .GroupBy(p => p.Kind).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Whether argv is a mariadb-dump/mysqldump of a database whose name starts with <paramref name="databasePrefix"/>.</summary>
    public static bool IsDumpOf(string[] argv, string databasePrefix) =>
        Path.GetFileName(argv[0]) is "mariadb-dump" or "mysqldump" && argv.Any(a => a.StartsWith(databasePrefix, StringComparison.Ordinal));
}
