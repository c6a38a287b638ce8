using System.Runtime.InteropServices;

namespace WpBackup.Core.Hosts;

/// <summary>
/// The type of a path on Unix without following a final link. .NET reports FIFOs, sockets and
/// devices as plain files, so this asks lstat through the runtime's own native shim
/// (libSystem.Native, shipped with every .NET on Unix), whose FileStatus begins
/// <c>int Flags; int Mode;</c> with the file type in Mode's S_IFMT bits.
/// </summary>
internal static class UnixFileType
{
    private const int TypeMask = 0xF000;
    private const int ModeOffset = 4;
    private const int StatusBufferSize = 256; // larger than FileStatus in any .NET release

    /// <summary>"FIFO", "socket", "character device" or "block device"; null for a file, folder, link, or a path that is gone.</summary>
    public static string? SpecialKind(string path)
    {
        if (OperatingSystem.IsWindows())
            return null;
        var status = new byte[StatusBufferSize];
        if (LStat(path, status) != 0)
            return null;
        return (BitConverter.ToInt32(status, ModeOffset) & TypeMask) switch
        {
            0x1000 => "FIFO",
            0x2000 => "character device",
            0x6000 => "block device",
            0xC000 => "socket",
            _ => null,
        };
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);
}
