using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace WpBackup.Core.Crypto;

/// <summary>
/// An age X25519 secret key ("AGE-SECRET-KEY-1..."). Opens "X25519" stanzas addressed to its
/// public key; other stanzas are ignored, as the age spec requires.
/// </summary>
public sealed class AgeX25519Identity : AgeIdentity
{
    private readonly byte[] _secretKey;

    internal AgeX25519Identity(byte[] secretKey)
    {
        if (secretKey.Length != AgeX25519Recipient.KeySize)
            throw new ArgumentException("An X25519 secret key is 32 bytes.", nameof(secretKey));
        _secretKey = secretKey;
        var publicKey = new byte[AgeX25519Recipient.KeySize];
        X25519.ScalarMultBase(secretKey, publicKey);
        Recipient = new AgeX25519Recipient(publicKey);
    }

    /// <summary>The public key files are encrypted to so that this identity opens them.</summary>
    public AgeX25519Recipient Recipient { get; }

    /// <summary>Parses "AGE-SECRET-KEY-1..." (upper case, as age-keygen writes it). Errors never echo the key.</summary>
    internal static AgeX25519Identity ParseKey(string text)
    {
        (string hrp, byte[] data) decoded;
        try
        {
            decoded = Bech32.Decode(text);
        }
        catch (FormatException e)
        {
            throw new AgeKeyException("AgeInvalidIdentity", $"Not a valid age secret key: {e.Message}", e);
        }

        if (decoded.hrp != AgeFormat.IdentityHrp || decoded.data.Length != AgeX25519Recipient.KeySize)
        {
            CryptographicOperations.ZeroMemory(decoded.data);
            throw new AgeKeyException("AgeInvalidIdentity", "Not an age X25519 secret key (expected 'AGE-SECRET-KEY-1' followed by a 32-byte key, all upper case).");
        }

        return new AgeX25519Identity(decoded.data);
    }

    /// <summary>The secret key in age's text form. Internal: only key generation needs it.</summary>
    internal string Encode() => Bech32.Encode(AgeFormat.IdentityHrp, _secretKey);

    internal override byte[]? Unwrap(IReadOnlyList<AgeStanza> stanzas)
    {
        Span<byte> shared = stackalloc byte[AgeX25519Recipient.KeySize];
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != "X25519")
                continue;
            if (stanza.Args.Count != 1 || !AgeBase64.TryDecode(stanza.Args[0], out var share) || share.Length != AgeX25519Recipient.KeySize)
                throw new AgeDecryptionException(AgeFailure.MalformedHeader, "The age header has an invalid X25519 stanza (its ephemeral share is not one canonical base64 32-byte value).");
            if (stanza.Body.Length != AgePrimitives.WrappedFileKeySize)
                throw new AgeDecryptionException(AgeFailure.MalformedHeader, "The age header has an invalid X25519 stanza (its body is not 32 bytes).");

            try
            {
                if (!X25519.CalculateAgreement(_secretKey, share, shared))
                    throw new AgeDecryptionException(AgeFailure.MalformedHeader, "The age header has an invalid X25519 stanza (its ephemeral share is a low-order point).");
                var wrapKey = AgePrimitives.Hkdf(shared, [.. share, .. Recipient.PublicKeyBytes], AgeFormat.X25519Label);
                try
                {
                    var fileKey = AgePrimitives.TryUnwrapFileKey(wrapKey, stanza.Body);
                    if (fileKey is not null)
                        return fileKey;
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(wrapKey);
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(shared);
            }
        }

        return null;
    }

    /// <summary>Names the public key only; the secret never appears in text output.</summary>
    public override string ToString() => $"X25519 identity for {Recipient.PublicKey}";
}
