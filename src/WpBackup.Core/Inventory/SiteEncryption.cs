namespace WpBackup.Core.Inventory;

/// <summary>
/// The inventory's <c>encryption:</c> for a site: age public keys and/or a passphrase to encrypt
/// its backups with (New-WpBackup encrypts them without -Encrypt), and identity files to read them
/// back (Restore-/Test-WpBackup). The passphrase is a reference, looked up only when used.
/// </summary>
public sealed class SiteEncryption
{
    public string[] Recipients { get; init; } = [];

    public SecretReference? Passphrase { get; init; }

    public string[] IdentityFiles { get; init; } = [];

    public override string ToString() =>
        string.Join(", ", Recipients.Select(r => r.Length > 16 ? r[..12] + "…" : r).Concat(Passphrase is null ? [] : [$"passphrase {Passphrase}"]));
}
