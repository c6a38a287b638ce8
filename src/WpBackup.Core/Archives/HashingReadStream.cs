using System.Security.Cryptography;

namespace WpBackup.Core.Archives;

/// <summary>Reads through an inner stream, counting and hashing (SHA-256) what passes.</summary>
internal sealed class HashingReadStream(Stream inner, Func<Func<int>, int> guard) : ForwardReadStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    public string HashHex() => Convert.ToHexString(_hash.GetCurrentHash()).ToLowerInvariant();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = guard(() => inner.Read(buffer, offset, count));
        _hash.AppendData(buffer, offset, read);
        BytesRead += read;
        return read;
    }

    /// <summary>Reads whatever the consumer left unread, so the hash covers the whole entry.</summary>
    public void Drain()
    {
        var buffer = new byte[1 << 16];
        while (Read(buffer, 0, buffer.Length) > 0) { }
    }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _hash.Dispose();
        base.Dispose(disposing);
    }
}
