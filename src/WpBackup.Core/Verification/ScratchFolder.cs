using System.Runtime.Versioning;
using WpBackup.Core.Operations;

namespace WpBackup.Core.Verification;

/// <summary>
/// A private (0700) folder for a test restore: <see cref="Site"/> receives the site's files,
/// <see cref="Private"/> the dump and a parent-folder wp-config.php. Deleted on dispose, even
/// when the restored tree holds read-only folders.
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    private ScratchFolder(string path)
    {
        Path = path;
        Site = System.IO.Path.Combine(path, "site");
        Private = System.IO.Path.Combine(path, "private");
    }

    public string Path { get; }
    public string Site { get; }
    public string Private { get; }

    public static ScratchFolder Create(string? parent)
    {
        var root = parent ?? System.IO.Path.GetTempPath();
        Directory.CreateDirectory(root);
        var scratch = new ScratchFolder(System.IO.Path.Combine(root, $"wpbackup-verify-{Guid.NewGuid():N}"));
        PrivatePaths.CreateFolder(scratch.Path);
        PrivatePaths.CreateFolder(scratch.Site);
        PrivatePaths.CreateFolder(scratch.Private);
        return scratch;
    }

    public void Dispose()
    {
        if (!OperatingSystem.IsWindows())
            MakeRemovable(new DirectoryInfo(Path));
        PrivatePaths.DeleteFolder(Path);
    }

    /// <summary>Gives the owner full rights on every folder (not through links), so a read-only folder from the archive cannot block the delete.</summary>
    [UnsupportedOSPlatform("windows")]
    private static void MakeRemovable(DirectoryInfo folder)
    {
        try
        {
            folder.UnixFileMode |= PrivatePaths.FolderMode;
            foreach (var child in folder.EnumerateDirectories())
            {
                if (child.LinkTarget is null)
                    MakeRemovable(child);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort; DeleteFolder removes what it can.
        }
    }
}
