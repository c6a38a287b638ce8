using System.Security.Cryptography;

namespace WpBackup.Core.Crypto;

/// <summary>
/// A passphrase that opens an "scrypt" stanza. Refuses files whose work factor is above
/// <see cref="MaxWorkFactor"/> (so a hostile file cannot demand hours of work or gigabytes of
/// memory) and files where the scrypt stanza is not alone.
/// </summary>
public sealed class AgePassphraseIdentity : AgeIdentity
{
    private readonly byte[] _passphrase;

    internal AgePassphraseIdentity(byte[] passphrase, int maxWorkFactor)
    {
        AgePassphrase.CheckWorkFactor(maxWorkFactor, nameof(maxWorkFactor));
        _passphrase = passphrase;
        MaxWorkFactor = maxWorkFactor;
    }

    /// <summary>The highest scrypt work factor (log2 N) this identity agrees to compute.</summary>
    public int MaxWorkFactor { get; }

    internal override byte[]? Unwrap(IReadOnlyList<AgeStanza> stanzas)
    {
        if (stanzas.Count > 1 && stanzas.Any(s => s.Type == "scrypt"))
            throw new AgeDecryptionException(AgeFailure.PassphraseNotAlone, "The age header has a passphrase (scrypt) stanza next to other stanzas; age forbids that, so the file is refused.");

        foreach (var stanza in stanzas)
        {
            if (stanza.Type != "scrypt")
                continue;
            if (stanza.Args.Count != 2 || !AgeBase64.TryDecode(stanza.Args[0], out var salt) || salt.Length != AgeScryptKey.SaltSize)
                throw new AgeDecryptionException(AgeFailure.MalformedHeader, "The age header has an invalid scrypt stanza (it needs a canonical base64 16-byte salt and a work factor).");
            int workFactor = ParseWorkFactor(stanza.Args[1]);
            if (workFactor > MaxWorkFactor)
                throw new AgeDecryptionException(AgeFailure.WorkFactorTooHigh,
                    $"The file asks for an scrypt work factor of 2^{stanza.Args[1]} (about {AgeScryptKey.MemoryFor(workFactor)} of memory); the limit is 2^{MaxWorkFactor}. " +
                    "If the file is trusted, allow a higher maximum work factor for the passphrase.");
            if (stanza.Body.Length != AgePrimitives.WrappedFileKeySize)
                throw new AgeDecryptionException(AgeFailure.MalformedHeader, "The age header has an invalid scrypt stanza (its body is not 32 bytes).");

            var wrapKey = AgeScryptKey.Derive(_passphrase, salt, workFactor);
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

        return null;
    }

    /// <summary>Decimal digits without a leading zero (age's ^[1-9][0-9]*$).</summary>
    private static int ParseWorkFactor(string text)
    {
        bool digits = text.Length > 0 && text[0] is >= '1' and <= '9' && text.All(c => c is >= '0' and <= '9');
        if (!digits)
            throw new AgeDecryptionException(AgeFailure.MalformedHeader, "The age header has an invalid scrypt stanza (the work factor is not a decimal number without leading zeros).");
        // Anything longer than two digits is far above any accepted maximum; avoid overflow.
        return text.Length > 2 ? int.MaxValue : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string ToString() => $"passphrase (accepts scrypt work factors up to 2^{MaxWorkFactor})";
}
