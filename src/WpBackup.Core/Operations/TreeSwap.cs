namespace WpBackup.Core.Operations;

/// <summary>Puts a fully staged folder in place of a target folder, as close to atomically as the filesystem allows.</summary>
internal static class TreeSwap
{
    public static void Replace(string staging, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        var old = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.wpbackup-old-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(target, old);
        }
        catch (IOException)
        {
            // A mount point or a folder we may not rename: replace what is inside it instead.
            ReplaceContents(staging, target);
            return;
        }
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(old, target);
            throw;
        }
        PrivatePaths.DeleteFolder(old);
    }

    private static void ReplaceContents(string staging, string target)
    {
        foreach (var entry in new DirectoryInfo(target).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo { LinkTarget: null } folder)
                folder.Delete(recursive: true);
            else
                entry.Delete();
        }
        foreach (var entry in new DirectoryInfo(staging).EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            if (entry is DirectoryInfo { LinkTarget: null })
                Directory.Move(entry.FullName, destination);
            else
                File.Move(entry.FullName, destination);
        }
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(target, File.GetUnixFileMode(staging));
        Directory.SetLastWriteTimeUtc(target, Directory.GetLastWriteTimeUtc(staging));
        Directory.Delete(staging);
    }
}
