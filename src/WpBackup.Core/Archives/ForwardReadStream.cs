namespace WpBackup.Core.Archives;

/// <summary>
/// A read-only stream that can only move forward: the base of the pass-through readers that
/// count, hash or decrypt what flows by. Subclasses supply Read and Position; Length defaults to unknown.
/// </summary>
internal abstract class ForwardReadStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
