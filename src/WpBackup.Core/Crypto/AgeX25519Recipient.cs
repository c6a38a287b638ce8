using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace WpBackup.Core.Crypto;

/// <summary>
/// An age X25519 public key ("age1..."). Wraps the file key in an "X25519" stanza: a fresh
/// ephemeral key per stanza, X25519 (BouncyCastle), HKDF-SHA-256 and ChaCha20-Poly1305 (.NET).
/// </summary>
public sealed class AgeX25519Recipient : AgeRecipient
{
    internal const int KeySize = 32;
    private readonly byte[] _publicKey;

    internal AgeX25519Recipient(byte[] publicKey)
    {
        if (publicKey.Length != KeySize)
            throw new ArgumentException("An X25519 public key is 32 bytes.", nameof(publicKey));
        _publicKey = publicKey;
        PublicKey = Bech32.Encode(AgeFormat.RecipientHrp, publicKey);
    }

    /// <summary>The recipient as age writes it: "age1" and Bech32.</summary>
    public string PublicKey { get; }

    internal ReadOnlySpan<byte> PublicKeyBytes => _publicKey;

    /// <summary>Parses "age1..." (lower case, as age-keygen prints it).</summary>
    internal static AgeX25519Recipient ParseKey(string text)
    {
        (string hrp, byte[] data) decoded;
        try
        {
            decoded = Bech32.Decode(text);
        }
        catch (FormatException e)
        {
            throw new AgeKeyException("AgeInvalidRecipient", $"'{text}' is not a valid age recipient: {e.Message}", e);
        }

        if (decoded.hrp != AgeFormat.RecipientHrp || decoded.data.Length != KeySize)
            throw new AgeKeyException("AgeInvalidRecipient", $"'{text}' is not an age X25519 recipient (expected 'age1' followed by a 32-byte key, all lower case).");
        return new AgeX25519Recipient(decoded.data);
    }

    internal override AgeStanza Wrap(ReadOnlySpan<byte> fileKey)
    {
        Span<byte> ephemeral = stackalloc byte[KeySize];
        Span<byte> shared = stackalloc byte[KeySize];
        var share = new byte[KeySize];
        RandomNumberGenerator.Fill(ephemeral);
        try
        {
            X25519.ScalarMultBase(ephemeral, share);
            if (!X25519.CalculateAgreement(ephemeral, _publicKey, shared))
                throw new AgeKeyException("AgeInvalidRecipient", $"Recipient {PublicKey} is not a usable X25519 public key (a low-order point).");
            var wrapKey = AgePrimitives.Hkdf(shared, [.. share, .. _publicKey], AgeFormat.X25519Label);
            try
            {
                return new AgeStanza("X25519", [AgeBase64.Encode(share)], AgePrimitives.WrapFileKey(wrapKey, fileKey));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(wrapKey);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    public override string ToString() => PublicKey;

    public override bool Equals(object? obj) => obj is AgeX25519Recipient other && other.PublicKey == PublicKey;

    public override int GetHashCode() => PublicKey.GetHashCode(StringComparison.Ordinal);
}
