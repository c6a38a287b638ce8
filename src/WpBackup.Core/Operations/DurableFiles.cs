using System.Runtime.InteropServices;

namespace WpBackup.Core.Operations;

/// <summary>
/// Files put in place so that a power loss leaves either the old state or the new one: the data
/// is flushed before the rename, and the folder after it, since a rename lives in the folder's
/// entries and the kernel may otherwise write those out after the next step (the sidecar).
/// </summary>
public static class DurableFiles
{
    /// <summary>Writes a private (0600) file through a temporary name in the same folder.</summary>
    public static void Write(string path, string temporary, byte[] content)
    {
        using (var file = PrivatePaths.CreateFile(temporary))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }
        Rename(temporary, path);
    }

    /// <summary>Renames a file whose data is already flushed, and flushes the folder that now names it.</summary>
    public static void Rename(string from, string to)
    {
        File.Move(from, to);
        SyncFolder(Path.GetDirectoryName(Path.GetFullPath(to))!);
    }

    /// <summary>fsync(2) of a folder; Windows has no such call (NTFS journals its metadata).</summary>
    public static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
            return;
        var fd = Open(folder, 0 /* O_RDONLY */);
        if (fd < 0)
            throw new IOException($"Cannot open the folder '{folder}' to flush it: {Marshal.GetLastPInvokeErrorMessage()}");
        try
        {
            if (FSync(fd) != 0)
                throw new IOException($"Cannot flush the folder '{folder}' to disk: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
