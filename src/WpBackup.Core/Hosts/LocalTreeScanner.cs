using WpBackup.Core.Archives;

namespace WpBackup.Core.Hosts;

/// <summary>
/// Lists a local site tree (metadata only, no content read) in a stable order, without
/// following symbolic links, leaving out what the exclude filter names. FIFOs, sockets and
/// devices are left out too, each reported through <c>onSkipped</c>.
/// </summary>
internal static class LocalTreeScanner
{
    public static List<ScannedEntry> Scan(string root, ExcludeFilter exclude, Action<string> onSkipped)
    {
        var rootInfo = new DirectoryInfo(root);
        var entries = new List<ScannedEntry> { Describe(rootInfo, "") };
        var pending = new Stack<(DirectoryInfo Dir, string Relative)>();
        pending.Push((rootInfo, ""));
        while (pending.Count > 0)
        {
            var (dir, relative) = pending.Pop();
            FileSystemInfo[] children;
            try
            {
                children = dir.GetFileSystemInfos();
            }
            catch (UnauthorizedAccessException e)
            {
                throw new Errors.ArchiveException("SiteFolderUnreadable",
                    $"Cannot read the folder '{dir.FullName}': {e.Message} Run as a user who can read the whole site, or exclude it with -Exclude.", e);
            }
            Array.Sort(children, (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var subdirs = new List<(DirectoryInfo, string)>();
            foreach (var child in children)
            {
                var childRelative = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
                if (exclude.IsExcluded(childRelative))
                    continue;
                if (child is FileInfo && child.LinkTarget is null && UnixFileType.SpecialKind(child.FullName) is { } kind)
                {
                    onSkipped(SpecialFile.SkippedWarning(child.FullName, kind));
                    continue;
                }
                var entry = Describe(child, childRelative);
                entries.Add(entry);
                if (entry.Type == ManifestEntryType.Directory)
                    subdirs.Add(((DirectoryInfo)child, childRelative));
            }
            for (var i = subdirs.Count - 1; i >= 0; i--)
                pending.Push(subdirs[i]);
        }
        return entries;
    }

    private static ScannedEntry Describe(FileSystemInfo info, string relative)
    {
        var mode = OperatingSystem.IsWindows() ? DefaultMode(info) : info.UnixFileMode;
        var modified = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
        if (info.LinkTarget is { } target)
            return new ScannedEntry(relative, info.FullName, ManifestEntryType.Symlink, 0, mode, modified, target);
        return info switch
        {
            DirectoryInfo => new ScannedEntry(relative, info.FullName, ManifestEntryType.Directory, 0, mode, modified, null),
            FileInfo file => new ScannedEntry(relative, info.FullName, ManifestEntryType.File, file.Length, mode, modified, null),
            _ => throw new InvalidOperationException(info.FullName),
        };
    }

    private static UnixFileMode DefaultMode(FileSystemInfo info) => info is DirectoryInfo
        ? (UnixFileMode)Convert.ToInt32("755", 8)
        : (UnixFileMode)Convert.ToInt32("644", 8);
}
