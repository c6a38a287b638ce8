using System.Net;
using System.Security;
using WpBackup.Core.Crypto;
using WpBackup.Core.Inventory;
using WpBackup.Core.Sites;

namespace WpBackup.Cmdlets;

/// <summary>
/// The keys the inventory's <c>encryption:</c> gives a site: to encrypt its backups (recipients or
/// the passphrase) and to read them back (identity files or the passphrase). The passphrase is looked
/// up (SecretManagement or the environment) once per inventory entry, only when a site needs it, and
/// is kept only as a SecureString inside the age keys.
/// </summary>
internal sealed class InventoryEncryption(ISecretResolver secrets)
{
    private readonly Dictionary<SiteEncryption, BackupEncryption> _encrypt = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<SiteEncryption, BackupDecryption> _decrypt = new(ReferenceEqualityComparer.Instance);

    /// <summary>Keys to encrypt a site's backup with; null when the inventory has none and <paramref name="required"/> (-Encrypt) is not set.</summary>
    public BackupEncryption? For(WpSite site, SiteEncryption? encryption, bool required)
    {
        if (encryption is null)
            return required
                ? throw new AgeKeyException("AgeNoRecipients",
                    $"-Encrypt needs whom to encrypt the backup of {site.Name} to: -Recipient age1... or -Passphrase, or 'encryption:' for the site in the inventory.")
                : null;
        if (!_encrypt.TryGetValue(encryption, out var keys))
            _encrypt[encryption] = keys = BackupEncryption.For(encryption.Recipients, Passphrase(encryption));
        return keys;
    }

    /// <summary>Keys to read a site's encrypted backups with; null when the inventory gives none.</summary>
    public BackupDecryption? KeysFor(SiteEncryption? encryption)
    {
        if (encryption is null || (encryption.IdentityFiles.Length == 0 && encryption.Passphrase is null))
            return null;
        if (!_decrypt.TryGetValue(encryption, out var keys))
            _decrypt[encryption] = keys = BackupDecryption.From(encryption.IdentityFiles, Passphrase(encryption));
        return keys;
    }

    private SecureString? Passphrase(SiteEncryption encryption) =>
        encryption.Passphrase is { } reference ? new NetworkCredential("", secrets.Resolve(reference)).SecurePassword : null;
}
