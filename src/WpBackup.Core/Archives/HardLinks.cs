using System.Runtime.InteropServices;

namespace WpBackup.Core.Archives;

/// <summary>
/// Makes a second name for an existing file (link(2)), as tar does for a hard-link entry. Where
/// the file system or platform cannot (Windows here, or a file system without hard links) the
/// file is copied instead, which restores the same bytes without the shared inode.
/// </summary>
internal static class HardLinks
{
    public static void Create(string existing, string path)
    {
        if (!OperatingSystem.IsWindows() && Link(existing, path) == 0)
            return;
        File.Copy(existing, path);
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string source, [MarshalAs(UnmanagedType.LPUTF8Str)] string linkTarget);
}
