using System.Security.Cryptography;

namespace WpBackup.Core.Archives;

/// <summary>
/// Feeds exactly <c>length</c> bytes of a file into a tar entry whose header already promised
/// that size, hashing them on the way. A file that shrinks while read is padded with zeros and
/// one that grows is cut; either way <see cref="Changed"/> says so and the hash is of what was stored.
/// </summary>
internal sealed class FileEntrySource(Stream file, long length, Action<long> onBytes) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private bool _sourceEnded;

    public bool Changed { get; private set; }

    public string HashHex() => Convert.ToHexString(_hash.GetCurrentHash()).ToLowerInvariant();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
        {
            if (!Changed && !_sourceEnded && file.ReadByte() >= 0)
                Changed = true;
            return 0;
        }
        var read = _sourceEnded ? 0 : file.Read(buffer[..wanted]);
        if (read == 0)
        {
            _sourceEnded = true;
            Changed = true;
            buffer[..wanted].Clear();
            read = wanted;
        }
        _hash.AppendData(buffer[..read]);
        _position += read;
        onBytes(read);
        return read;
    }

    // The tar writer needs a length to write the header before the data.
    public override bool CanSeek => true;
    public override long Length => length;
    public override long Position { get => _position; set { if (value != _position) throw new NotSupportedException(); } }
    public override long Seek(long offset, SeekOrigin origin) =>
        origin == SeekOrigin.Current && offset == 0 ? _position : throw new NotSupportedException();

    public override bool CanRead => true;
    public override bool CanWrite => false;
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _hash.Dispose();
        base.Dispose(disposing);
    }
}
