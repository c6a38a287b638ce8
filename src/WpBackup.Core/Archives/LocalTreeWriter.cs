namespace WpBackup.Core.Archives;

/// <summary>Writes a site's entries into a fresh local folder, never over an existing file.</summary>
internal sealed class LocalTreeWriter(string root) : ISiteTreeWriter
{
    private readonly List<(string Path, UnixFileMode Mode, DateTimeOffset Modified)> _folders = [];

    public void Directory(string relative, UnixFileMode mode, DateTimeOffset modified)
    {
        var path = Full(relative);
        System.IO.Directory.CreateDirectory(path);
        _folders.Add((path, mode, modified));
    }

    public void Symlink(string relative, string target) => System.IO.File.CreateSymbolicLink(Full(relative), target);

    public void File(string relative, Stream data, long size, UnixFileMode mode, DateTimeOffset modified)
    {
        var path = Full(relative);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1 << 16, PreallocationSize = size };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var output = new FileStream(path, options))
            data.CopyTo(output, 1 << 16);
        if (!OperatingSystem.IsWindows())
            System.IO.File.SetUnixFileMode(path, mode);
        System.IO.File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
    }

    public void HardLink(string relative, string existingRelative) => HardLinks.Create(Full(existingRelative), Full(relative));

    /// <summary>Deepest first: writing children changes a folder's time, and a read-only folder would block them.</summary>
    public void Complete()
    {
        foreach (var (path, mode, modified) in _folders.OrderByDescending(f => f.Path.Length))
        {
            if (!OperatingSystem.IsWindows())
                System.IO.File.SetUnixFileMode(path, mode);
            System.IO.Directory.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        }
    }

    private string Full(string relative) => relative.Length == 0 ? root : Path.Combine(root, relative);
}
