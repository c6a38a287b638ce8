using System.Security;
using System.Text;

namespace WpBackup.Core.Crypto;

/// <summary>
/// What opens a file: an X25519 secret key ("AGE-SECRET-KEY-1...", usually from an age-keygen
/// identity file) or a passphrase. Hand them to <see cref="AgeDecryptStream.Open"/>.
/// </summary>
public abstract class AgeIdentity
{
    private const int MaxIdentityFileSize = 16 * 1024 * 1024;

    private protected AgeIdentity()
    {
    }

    /// <summary>Parses one secret key "AGE-SECRET-KEY-1...". Errors never repeat the key.</summary>
    public static AgeIdentity Parse(string secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        return ParseLine(secretKey.Trim());
    }

    /// <summary>
    /// Reads an identity file as age -i does (and as age-keygen writes it): one secret key per
    /// line; empty lines and lines starting with '#' (the "created" and "public key" comments)
    /// are ignored.
    /// </summary>
    public static IReadOnlyList<AgeIdentity> ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (file.Length > MaxIdentityFileSize)
                throw new AgeKeyException("AgeIdentityFileTooLarge", $"'{path}' is larger than 16 MiB: not an age identity file.");
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgeKeyException("AgeIdentityFileUnreadable", $"Cannot read the age identity file '{path}': {e.Message}", e);
        }

        if (AgeFormat.IsAgeFile(bytes) || AgeFormat.IsArmored(bytes))
            throw new AgeKeyException("AgeEncryptedIdentityFile", $"'{path}' is itself age-encrypted (a passphrase-protected identity file); decrypt it first with 'age -d', this module reads plain identity files.");
        return ParseLines(DecodeUtf8(bytes, path), $"identity file '{path}'");
    }

    /// <summary>Parses identity-file text: one secret key per line, '#' comments and empty lines ignored.</summary>
    public static IReadOnlyList<AgeIdentity> ParseText(string text) => ParseLines(text ?? throw new ArgumentNullException(nameof(text)), "identity text");

    /// <summary>
    /// A passphrase identity. <paramref name="maxWorkFactor"/> caps the scrypt work factor (log2 N)
    /// a file may ask for; age's default is 22 (about 4 GiB of memory and several seconds).
    /// </summary>
    public static AgeIdentity FromPassphrase(string passphrase, int maxWorkFactor = AgeFormat.DefaultMaxScryptWorkFactor) =>
        new AgePassphraseIdentity(AgePassphrase.ToUtf8(passphrase), maxWorkFactor);

    /// <inheritdoc cref="FromPassphrase(string, int)"/>
    public static AgeIdentity FromPassphrase(SecureString passphrase, int maxWorkFactor = AgeFormat.DefaultMaxScryptWorkFactor) =>
        new AgePassphraseIdentity(AgePassphrase.ToUtf8(passphrase), maxWorkFactor);

    /// <summary>
    /// The file key from the first stanza this identity opens, or null when none is addressed to it.
    /// Throws <see cref="AgeDecryptionException"/> for a stanza of its type that is malformed or refused.
    /// </summary>
    internal abstract byte[]? Unwrap(IReadOnlyList<AgeStanza> stanzas);

    private static AgeIdentity ParseLine(string line)
    {
        if (line.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal))
            return AgeX25519Identity.ParseKey(line);
        if (line.StartsWith("AGE-SECRET-KEY-PQ-1", StringComparison.Ordinal) || line.StartsWith("AGE-PLUGIN-", StringComparison.Ordinal))
            throw new AgeKeyException("AgeUnsupportedIdentity", "Post-quantum and plugin age identities are not supported; use an X25519 key from age-keygen.");
        if (line.StartsWith("-----BEGIN", StringComparison.Ordinal))
            throw new AgeKeyException("AgeUnsupportedIdentity", "SSH private keys are not supported as age identities; use an X25519 key from age-keygen.");
        if (line.StartsWith("age1", StringComparison.Ordinal))
            throw new AgeKeyException("AgePublicKeyAsIdentity", "That is an age public key (recipient), which only encrypts; decrypting needs the matching secret key 'AGE-SECRET-KEY-1...'.");
        throw new AgeKeyException("AgeInvalidIdentity", "Not an age secret key: expected 'AGE-SECRET-KEY-1...' as age-keygen writes it.");
    }

    private static List<AgeIdentity> ParseLines(string text, string source)
    {
        var identities = new List<AgeIdentity>();
        int number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.StartsWith("-----BEGIN", StringComparison.Ordinal))
                throw new AgeKeyException("AgeUnsupportedIdentity", $"The {source} holds an SSH or PEM private key; only age X25519 secret keys (AGE-SECRET-KEY-1...) are supported.");
            try
            {
                identities.Add(ParseLine(line));
            }
            catch (AgeKeyException e)
            {
                throw new AgeKeyException(e.ErrorId, $"Line {number} of the {source}: {e.Message}", e);
            }
        }

        if (identities.Count == 0)
            throw new AgeKeyException("AgeNoIdentities", $"The {source} holds no age secret keys.");
        return identities;
    }

    private static string DecodeUtf8(byte[] bytes, string path)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new AgeKeyException("AgeInvalidIdentity", $"'{path}' is not text (not valid UTF-8): not an age identity file.");
        }
    }
}
