using System.Security;

namespace WpBackup.Core.Crypto;

/// <summary>
/// Someone a file is encrypted to: an X25519 public key ("age1...") or a passphrase.
/// Build them with <see cref="Parse"/>, <see cref="ParseFile"/> or <see cref="FromPassphrase(string, int)"/>,
/// and hand them to <see cref="AgeEncryptStream.Create"/>.
/// </summary>
public abstract class AgeRecipient
{
    private protected AgeRecipient()
    {
    }

    /// <summary>Parses one recipient: an age X25519 public key "age1..." as age-keygen prints it.</summary>
    public static AgeRecipient Parse(string recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var text = recipient.Trim();
        if (text.StartsWith(AgeFormat.IdentityHrp, StringComparison.OrdinalIgnoreCase))
            throw new AgeKeyException("AgeSecretKeyAsRecipient", "That is an age secret key (AGE-SECRET-KEY-1...), not a recipient. Encrypt to its public key (the '# public key: age1...' line age-keygen writes) and keep the secret key away from the machine that only encrypts.");
        if (text.StartsWith("ssh-", StringComparison.Ordinal) || text.StartsWith("ecdsa-", StringComparison.Ordinal))
            throw new AgeKeyException("AgeUnsupportedRecipient", "SSH public keys are not supported as recipients; generate an age key pair with age-keygen (or AgeKeys.Generate) and use its 'age1...' public key.");
        if (text.StartsWith("age1pq1", StringComparison.Ordinal) || text.StartsWith("age1tag", StringComparison.Ordinal))
            throw new AgeKeyException("AgeUnsupportedRecipient", "Post-quantum and tagged (hardware) age recipients are not supported; use an X25519 'age1...' public key.");
        // X25519 keys have the prefix "age" and the separator at index 3 (the data alphabet has
        // no '1'); "age1NAME1..." is a plugin's recipient.
        if (text.StartsWith("age1", StringComparison.Ordinal) && text.LastIndexOf('1') > 3)
            throw new AgeKeyException("AgeUnsupportedRecipient", $"'{text}' is an age plugin recipient; plugins are not supported, use an X25519 'age1...' public key.");
        if (!text.StartsWith("age1", StringComparison.Ordinal))
            throw new AgeKeyException("AgeInvalidRecipient", "Not an age recipient: expected an X25519 public key starting with 'age1' (all lower case).");
        return AgeX25519Recipient.ParseKey(text);
    }

    /// <summary>
    /// Parses a recipients file as age -R reads it: one recipient per line; empty lines and
    /// lines starting with '#' are ignored. An age-keygen identity file is refused (it holds a secret).
    /// </summary>
    public static IReadOnlyList<AgeRecipient> ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgeKeyException("AgeRecipientsFileUnreadable", $"Cannot read the age recipients file '{path}': {e.Message}", e);
        }

        return ParseLines(text, $"recipients file '{path}'");
    }

    /// <summary>Parses recipients text: one per line, '#' comments and empty lines ignored.</summary>
    public static IReadOnlyList<AgeRecipient> ParseText(string text) => ParseLines(text ?? throw new ArgumentNullException(nameof(text)), "recipients text");

    /// <summary>A passphrase recipient; <paramref name="workFactor"/> is log2 of scrypt's N (age uses 18).</summary>
    public static AgeRecipient FromPassphrase(string passphrase, int workFactor = AgeFormat.DefaultScryptWorkFactor) =>
        new AgePassphraseRecipient(AgePassphrase.ToUtf8(passphrase), workFactor);

    /// <inheritdoc cref="FromPassphrase(string, int)"/>
    public static AgeRecipient FromPassphrase(SecureString passphrase, int workFactor = AgeFormat.DefaultScryptWorkFactor) =>
        new AgePassphraseRecipient(AgePassphrase.ToUtf8(passphrase), workFactor);

    /// <summary>Makes this recipient's stanza for a new file key.</summary>
    internal abstract AgeStanza Wrap(ReadOnlySpan<byte> fileKey);

    /// <summary>Whether age requires this recipient's stanza to be the only one (passphrases).</summary>
    internal virtual bool MustBeAlone => false;

    private static List<AgeRecipient> ParseLines(string text, string source)
    {
        var recipients = new List<AgeRecipient>();
        int number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.StartsWith(AgeFormat.IdentityHrp, StringComparison.OrdinalIgnoreCase))
                throw new AgeKeyException("AgeSecretKeyAsRecipient", $"Line {number} of the {source} is an age secret key, not a recipient: this looks like an identity file. Use its '# public key: age1...' line.");
            try
            {
                recipients.Add(Parse(line));
            }
            catch (AgeKeyException e)
            {
                // Do not repeat the line: a wrong file given here might be confidential.
                throw new AgeKeyException(e.ErrorId, $"Line {number} of the {source} is not a supported age recipient (expected 'age1...').", e.ErrorId == "AgeInvalidRecipient" ? null : e);
            }
        }

        if (recipients.Count == 0)
            throw new AgeKeyException("AgeNoRecipients", $"The {source} holds no recipients.");
        return recipients;
    }
}
