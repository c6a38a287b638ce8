using System.Globalization;
using System.Security.Cryptography;

namespace WpBackup.Core.Crypto;

/// <summary>
/// Passphrase encryption: an "scrypt" stanza. age requires it to be the only stanza of a file,
/// so it cannot be combined with any other recipient.
/// </summary>
public sealed class AgePassphraseRecipient : AgeRecipient
{
    private readonly byte[] _passphrase;

    internal AgePassphraseRecipient(byte[] passphrase, int workFactor)
    {
        AgePassphrase.CheckWorkFactor(workFactor, nameof(workFactor));
        _passphrase = passphrase;
        WorkFactor = workFactor;
    }

    /// <summary>log2 of the scrypt cost parameter N written into the file.</summary>
    public int WorkFactor { get; }

    internal override bool MustBeAlone => true;

    internal override AgeStanza Wrap(ReadOnlySpan<byte> fileKey)
    {
        var salt = RandomNumberGenerator.GetBytes(AgeScryptKey.SaltSize);
        var wrapKey = AgeScryptKey.Derive(_passphrase, salt, WorkFactor);
        try
        {
            return new AgeStanza("scrypt", [AgeBase64.Encode(salt), WorkFactor.ToString(CultureInfo.InvariantCulture)], AgePrimitives.WrapFileKey(wrapKey, fileKey));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrapKey);
        }
    }

    public override string ToString() => $"passphrase (scrypt, work factor 2^{WorkFactor})";
}
