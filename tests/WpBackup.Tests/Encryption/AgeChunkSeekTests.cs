using WpBackup.Core.Crypto;
using WpBackup.Tests.Crypto;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Encryption;

/// <summary>
/// Reading an age file from a plaintext offset (how an encrypted parent's manifest is read): files
/// made by the real age CLI, read through a stream that counts the ciphertext bytes fetched.
/// </summary>
public sealed class AgeChunkSeekTests : IDisposable
{
    private const int ChunkOnDisk = AgeFormat.ChunkSize + 16;
    private readonly TempFolder _temp = new();

    private (byte[] Plain, string Encrypted, AgeIdentity[] Identity) AgeFile(int size)
    {
        var plain = Enumerable.Range(0, size).Select(i => (byte)((i * 131 + i / 7) % 256)).ToArray();
        var input = _temp.Combine("plain.bin");
        File.WriteAllBytes(input, plain);
        var key = _temp.Combine("key.txt");
        var recipient = AgeCli.KeyGen(key);
        var encrypted = _temp.Combine("plain.bin.age");
        AgeCli.Check("-r", recipient, "-o", encrypted, input);
        return (plain, encrypted, [.. AgeIdentity.ParseFile(key)]);
    }

    [Fact]
    public void Seeking_reads_only_the_chunks_from_the_offset_on_and_returns_the_same_bytes()
    {
        var (plain, encrypted, identity) = AgeFile(1_000_000);
        const int offset = 900_001;
        using var counted = new CountingStream(File.OpenRead(encrypted));
        using (var age = AgeDecryptStream.Open(counted, identity))
        {
            age.SeekPlaintext(offset);
            using var rest = new MemoryStream();
            age.CopyTo(rest);
            Assert.Equal(plain[offset..], rest.ToArray());
        }
        // The header (read ahead in one 4 KiB block), then the ciphertext from the chunk holding the offset to the end.
        var length = new FileInfo(encrypted).Length;
        var fromChunk = length - PayloadStart(length, plain.Length) - offset / AgeFormat.ChunkSize * ChunkOnDisk;
        Assert.InRange(counted.BytesRead, fromChunk, fromChunk + 4096);
        Assert.True(counted.BytesRead < length / 4, $"{counted.BytesRead} bytes read");
    }

    [Fact]
    public void A_tampered_chunk_at_the_offset_fails_and_a_cut_end_fails_while_chunks_before_it_are_not_read()
    {
        var (plain, encrypted, identity) = AgeFile(400_000);
        var bytes = File.ReadAllBytes(encrypted);
        var payloadStart = PayloadStart(bytes.Length, plain.Length);

        var early = (byte[])bytes.Clone();
        early[(int)payloadStart + 10] ^= 1; // chunk 0
        Assert.Equal(plain[300_000..], ReadFrom(early, identity, 300_000));

        var atOffset = (byte[])bytes.Clone();
        atOffset[(int)payloadStart + 4 * ChunkOnDisk + 10] ^= 1; // chunk 4 holds plaintext offset 300,000
        var tampered = Assert.Throws<AgeDecryptionException>(() => ReadFrom(atOffset, identity, 300_000));
        Assert.Equal(AgeFailure.PayloadAuthenticationFailed, tampered.Reason);

        var cut = bytes[..^100];
        Assert.Throws<AgeDecryptionException>(() => ReadFrom(cut, identity, 300_000));
    }

    /// <summary>Where chunk 0 starts: a payload of n bytes (not a multiple of 64 KiB) is its full chunks and a last one, each with a 16-byte tag.</summary>
    private static long PayloadStart(long fileLength, int plainLength) =>
        fileLength - (plainLength / AgeFormat.ChunkSize * (long)ChunkOnDisk + plainLength % AgeFormat.ChunkSize + 16);

    private static byte[] ReadFrom(byte[] file, AgeIdentity[] identity, long offset)
    {
        using var age = AgeDecryptStream.Open(new MemoryStream(file), identity);
        age.SeekPlaintext(offset);
        using var rest = new MemoryStream();
        age.CopyTo(rest);
        return rest.ToArray();
    }

    public void Dispose() => _temp.Dispose();

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
