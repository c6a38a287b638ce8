using System.Security;

namespace WpBackup.Core.Crypto;

/// <summary>
/// Whom a new backup's archive is encrypted to: age X25519 public keys, or one passphrase.
/// <see cref="Labels"/> is what the sidecar records: the public keys, or "passphrase" — never a secret.
/// </summary>
public sealed class BackupEncryption
{
    public const string PassphraseLabel = "passphrase";

    private BackupEncryption(IReadOnlyList<AgeRecipient> recipients, IReadOnlyList<string> labels)
    {
        Recipients = recipients;
        Labels = labels;
    }

    public IReadOnlyList<AgeRecipient> Recipients { get; }
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Public keys ("age1...") or a passphrase; age allows a passphrase only on its own.</summary>
    public static BackupEncryption For(IReadOnlyList<string>? recipients, SecureString? passphrase)
    {
        var keys = (recipients ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (passphrase is not null && keys.Count > 0)
            throw new AgeKeyException("AgePassphraseNotAlone",
                "Encrypt either to public keys (-Recipient) or with a passphrase (-Passphrase), not both: age allows a passphrase only on its own.");
        if (passphrase is not null)
            return new BackupEncryption([AgeRecipient.FromPassphrase(passphrase)], [PassphraseLabel]);
        if (keys.Count == 0)
            throw new AgeKeyException("AgeNoRecipients",
                "-Encrypt needs whom to encrypt to: one or more age public keys (-Recipient age1...) or a -Passphrase.");
        return new BackupEncryption([.. keys.Select(AgeRecipient.Parse)], keys);
    }
}
