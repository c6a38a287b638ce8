using WpBackup.Core.Storage;

namespace WpBackup.Core.Inventory;

/// <summary>
/// The access key an inventory's <c>s3:</c> block names: the key id and the secret, each a
/// <c>{secret: NAME}</c> or <c>{env: VARIABLE}</c>. Only the names are held here; the values are
/// looked up when a site is used, like a database password.
/// </summary>
public sealed record S3KeyReferences(SecretReference AccessKeyId, SecretReference SecretAccessKey)
{
    /// <summary>The key, looked up now; it describes itself by these references, never by its values.</summary>
    /// <exception cref="InventoryException">A secret cannot be had.</exception>
    internal S3Credential Resolve(ISecretResolver secrets) =>
        new(secrets.Resolve(AccessKeyId), secrets.Resolve(SecretAccessKey)) { Source = ToString() };

    /// <summary>Where the key comes from: the references and the inventory line, never a value.</summary>
    public override string ToString() =>
        $"{AccessKeyId} and {SecretAccessKey} of {AccessKeyId.InventoryPath}" + (AccessKeyId.Line > 0 ? $" line {AccessKeyId.Line}" : "");
}
