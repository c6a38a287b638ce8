using System.Security.Cryptography;
using System.Text;

namespace WpBackup.Core.Crypto;

/// <summary>
/// The age v1 uses of library primitives (HKDF-SHA-256, HMAC-SHA-256 and ChaCha20-Poly1305 from
/// .NET): key derivations and the zero-nonce wrapping of the file key. No primitive is implemented here.
/// </summary>
internal static class AgePrimitives
{
    private static readonly byte[] ZeroNonce = new byte[12];
    public const int WrappedFileKeySize = AgeFormat.FileKeySize + AgeFormat.TagSize;

    public static byte[] Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, string info)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, key, salt, Encoding.ASCII.GetBytes(info));
        return key;
    }

    /// <summary>HMAC-SHA-256 over the header up to and including "---", keyed by HKDF(file key, "header").</summary>
    public static byte[] HeaderMac(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> headerWithoutMac)
    {
        var key = Hkdf(fileKey, [], "header");
        try
        {
            return HMACSHA256.HashData(key, headerWithoutMac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public static byte[] PayloadKey(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> nonce) => Hkdf(fileKey, nonce, "payload");

    /// <summary>ChaCha20-Poly1305 of the file key under a one-time wrap key, nonce all zero (as age does).</summary>
    public static byte[] WrapFileKey(ReadOnlySpan<byte> wrapKey, ReadOnlySpan<byte> fileKey)
    {
        var body = new byte[WrappedFileKeySize];
        using var aead = new ChaCha20Poly1305(wrapKey);
        aead.Encrypt(ZeroNonce, fileKey, body.AsSpan(0, AgeFormat.FileKeySize), body.AsSpan(AgeFormat.FileKeySize));
        return body;
    }

    /// <summary>The file key, or null when the body does not authenticate under this wrap key (not our stanza).</summary>
    public static byte[]? TryUnwrapFileKey(ReadOnlySpan<byte> wrapKey, ReadOnlySpan<byte> body)
    {
        if (body.Length != WrappedFileKeySize)
            throw new InvalidOperationException("caller must check the body length first");
        var fileKey = new byte[AgeFormat.FileKeySize];
        using var aead = new ChaCha20Poly1305(wrapKey);
        try
        {
            aead.Decrypt(ZeroNonce, body[..AgeFormat.FileKeySize], body[AgeFormat.FileKeySize..], fileKey);
            return fileKey;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
