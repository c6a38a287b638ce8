using System.Runtime.InteropServices;

namespace WpBackup.Core.Archives;

/// <summary>
/// Writes to a file and asks Linux to start writing each finished stretch to disk at once
/// (<c>sync_file_range</c>, without waiting), so the fsync that ends a backup finds little left to do
/// and the disk works while the compressor does. Only a hint: durability still comes from that fsync.
/// </summary>
internal sealed class EarlyWritebackStream(FileStream file) : Stream
{
    private const long Stretch = 8 << 20;
    private const uint SyncFileRangeWrite = 2;

    private readonly bool _enabled = OperatingSystem.IsLinux();
    private long _position;
    private long _started;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        file.Write(buffer);
        _position += buffer.Length;
        if (_enabled && _position - _started >= Stretch)
        {
            file.Flush();
            // A failure only means the final fsync does all the work, as it would without this.
            _ = SyncFileRange(file.SafeFileHandle, _started, _position - _started, SyncFileRangeWrite);
            _started = _position;
        }
    }

    [DllImport("libc", EntryPoint = "sync_file_range")]
    private static extern int SyncFileRange(Microsoft.Win32.SafeHandles.SafeFileHandle fd, long offset, long count, uint flags);

    public override void Flush() => file.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _position;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
