using System.Buffers.Binary;

namespace WpBackup.Core.Crypto;

/// <summary>
/// The STREAM nonce of a payload chunk: an 11-byte big-endian chunk counter, then 0x01 for the
/// final chunk and 0x00 for every other.
/// </summary>
internal struct AgeChunkNonce
{
    private ulong _counter;

    /// <summary>The nonce of chunk <paramref name="counter"/>, for reading from the middle of a payload.</summary>
    public AgeChunkNonce(ulong counter) => _counter = counter;

    /// <summary>Index of the current chunk.</summary>
    public readonly ulong Counter => _counter;

    public readonly void Write(Span<byte> nonce, bool last)
    {
        nonce[..3].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[3..11], _counter);
        nonce[11] = last ? (byte)1 : (byte)0;
    }

    public void Advance() => _counter = checked(_counter + 1);
}
