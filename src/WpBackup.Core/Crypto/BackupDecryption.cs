using System.Security;

namespace WpBackup.Core.Crypto;

/// <summary>The keys that open encrypted archives: age identity files and/or a passphrase. Empty: only plain archives can be read.</summary>
public sealed class BackupDecryption
{
    public static readonly BackupDecryption None = new([]);

    public BackupDecryption(IReadOnlyList<AgeIdentity> identities) => Identities = identities;

    public IReadOnlyList<AgeIdentity> Identities { get; }

    /// <summary>Reads identity files (age-keygen output) and adds the passphrase, when given.</summary>
    public static BackupDecryption From(IEnumerable<string>? identityFiles, SecureString? passphrase)
    {
        var identities = new List<AgeIdentity>();
        foreach (var file in identityFiles ?? [])
            identities.AddRange(AgeIdentity.ParseFile(file));
        if (passphrase is not null)
            identities.Add(AgeIdentity.FromPassphrase(passphrase));
        return new BackupDecryption(identities);
    }
}
