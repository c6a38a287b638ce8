namespace WpBackup.Core.Crypto;

/// <summary>
/// Constants of the age v1 file format (https://age-encryption.org/v1, C2SP age) and the
/// magic check that tells an age file from anything else.
/// </summary>
public static class AgeFormat
{
    /// <summary>The first line of every binary age v1 file, including its line feed.</summary>
    public const string VersionLine = "age-encryption.org/v1\n";

    /// <summary>The usual file name extension of age files.</summary>
    public const string FileExtension = ".age";

    /// <summary>Plaintext bytes per payload chunk.</summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>The scrypt work factor (log2 N) used when encrypting with a passphrase, as age does.</summary>
    public const int DefaultScryptWorkFactor = 18;

    /// <summary>The largest scrypt work factor (log2 N) accepted when decrypting unless told otherwise, as age does.</summary>
    public const int DefaultMaxScryptWorkFactor = 22;

    /// <summary>The largest work factor a caller may configure (2^30 × 1 KiB of scrypt memory would be 1 TiB).</summary>
    public const int MaxConfigurableScryptWorkFactor = 30;

    internal const string VersionPrefix = "age-encryption.org/";
    internal const string ArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
    internal const int FileKeySize = 16;
    internal const int PayloadNonceSize = 16;
    internal const int TagSize = 16;
    internal const int EncryptedChunkSize = ChunkSize + TagSize;
    internal const string X25519Label = "age-encryption.org/v1/X25519";
    internal const string ScryptLabel = "age-encryption.org/v1/scrypt";
    internal const string RecipientHrp = "age";
    internal const string IdentityHrp = "AGE-SECRET-KEY-";

    internal static ReadOnlySpan<byte> VersionLineBytes => "age-encryption.org/v1\n"u8;

    /// <summary>Whether <paramref name="start"/> (the first bytes of a file, at least 22) begins like a binary age v1 file.</summary>
    public static bool IsAgeFile(ReadOnlySpan<byte> start) => start.StartsWith(VersionLineBytes);

    /// <summary>
    /// Whether the stream, from its current position, begins like a binary age v1 file.
    /// A seekable stream is put back where it was; a non-seekable one is refused, since the
    /// check would consume bytes the caller still needs.
    /// </summary>
    public static bool IsAgeFile(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
            throw new ArgumentException("IsAgeFile needs a seekable stream; with a pipe, read the first bytes and check them with IsAgeFile(ReadOnlySpan<byte>).", nameof(stream));
        long position = stream.Position;
        try
        {
            Span<byte> start = stackalloc byte[VersionLine.Length];
            int n = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            return IsAgeFile(start[..n]);
        }
        finally
        {
            stream.Position = position;
        }
    }

    /// <summary>Whether the file at <paramref name="path"/> begins like a binary age v1 file.</summary>
    public static bool IsAgeFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        return IsAgeFile(file);
    }

    /// <summary>Whether the bytes begin like an ASCII-armored age file (which this module does not read).</summary>
    internal static bool IsArmored(ReadOnlySpan<byte> start) => start.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----"u8);
}
