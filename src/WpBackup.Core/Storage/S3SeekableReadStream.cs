namespace WpBackup.Core.Storage;

/// <summary>
/// A seekable read of one object of known length: each read after a seek opens one ranged GET from
/// there to the end and streams on from it, so reading a tail or skipping ahead fetches only what is read.
/// </summary>
public sealed class S3SeekableReadStream(S3BackupStore store, string key, long length, CancellationToken cancel = default) : Stream
{
    private S3ReadStream? _body;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _position >= length)
            return 0;
        _body ??= store.OpenRange(key, _position, length - 1, cancel);
        var n = _body.Read(buffer);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            _body?.Dispose();
            _body = null;
            _position = target;
        }
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _body?.Dispose();
        base.Dispose(disposing);
    }
}
