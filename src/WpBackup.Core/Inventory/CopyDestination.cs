namespace WpBackup.Core.Inventory;

/// <summary>
/// A destination an inventory site's backups are copied to after they are made: a folder or
/// s3://bucket/prefix, with the S3 settings for it when they differ from the site's <c>s3:</c>.
/// </summary>
public sealed record CopyDestination(string Destination, Storage.S3Settings? S3)
{
    /// <summary>The access key the copy's own <c>s3:</c> names (references only); null: none, or no s3: of its own.</summary>
    public S3KeyReferences? S3Keys { get; init; }

    public override string ToString() => Destination;
}
