using System.Security.Cryptography;
using WpBackup.Core.Archives;

namespace WpBackup.Core.Verification;

/// <summary>
/// Reads an archive file for the decompressor while hashing (SHA-256) and counting every byte,
/// so the archive's own size and hash come from the same single read as its contents.
/// </summary>
internal sealed class ArchiveFileHash(Stream file) : ForwardReadStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = file.Read(buffer, offset, count);
        _hash.AppendData(buffer, offset, read);
        _read += read;
        return read;
    }

    /// <summary>Reads what the decompressor left (all of it when it stopped at damage) and returns the whole file's size and hash.</summary>
    public (long Size, string Sha256) Finish()
    {
        var buffer = new byte[1 << 16];
        while (Read(buffer, 0, buffer.Length) > 0) { }
        return (_read, Convert.ToHexString(_hash.GetCurrentHash()).ToLowerInvariant());
    }

    /// <summary>The file's length, for progress.</summary>
    public override long Length => file.Length;
    /// <summary>Bytes read so far, for progress.</summary>
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            file.Dispose();
        }
        base.Dispose(disposing);
    }
}
