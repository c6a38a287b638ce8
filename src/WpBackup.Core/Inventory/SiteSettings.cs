using WpBackup.Core.Retention;

namespace WpBackup.Core.Inventory;

/// <summary>
/// What the inventory says about how to back up one site, resolved (site over its preset, over
/// its host's preset, over defaults). <see cref="Sites.WpSite.Settings"/> carries it, so
/// New-WpBackup and Remove-WpBackup use it for sites that come from Get-WpSite.
/// </summary>
public sealed record SiteSettings
{
    /// <summary>The backup root folder; null: the cmdlets' default ($env:WPBACKUP_ROOT or the per-user data folder).</summary>
    public string? Destination { get; init; }

    /// <summary>Where each backup is copied once made (folders or s3:// URLs), in order; empty: nowhere.</summary>
    public IReadOnlyList<CopyDestination> Copies { get; init; } = [];

    /// <summary>How to reach the site's s3:// destinations (endpoint, region, path style, credential profile); null: the AWS defaults.</summary>
    public Storage.S3Settings? S3 { get; init; }

    /// <summary>The access key the s3: block names (references only); <see cref="WithS3Credentials"/> looks it up.</summary>
    public S3KeyReferences? S3Keys { get; init; }

    /// <summary>Whom the site's backups are encrypted to, and the identities that read them; null: not encrypted.</summary>
    public SiteEncryption? Encryption { get; init; }

    /// <summary>zstd level 1–19; null: the default.</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>Patterns left out of the backup, added to the built-in ones (defaults, presets and the site's own, in that order).</summary>
    public string[] Exclude { get; init; } = [];

    /// <summary>Which backups to keep (Remove-WpBackup -InventoryPolicy); null when the inventory gives none.</summary>
    public RetentionPolicy? Retention { get; init; }

    /// <summary>How many sites a parallel run should handle at once, for scripts (ForEach-Object -Parallel -ThrottleLimit).</summary>
    public int? ThrottleLimit { get; init; }

    /// <summary>The preset the site names, if any.</summary>
    public string? Preset { get; init; }

    /// <summary>The inventory's name for the site's host (a key of hosts:); null for this machine.</summary>
    public string? Host { get; init; }

    /// <summary>The inventory file and the line the site's entry starts on.</summary>
    public string InventoryPath { get; init; } = "";
    public int InventoryLine { get; init; }

    /// <summary>
    /// These settings with the s3: access keys looked up and set as the S3 settings' credential: the
    /// site's when its destination, or a copy without an s3: of its own, is an s3:// URL; each copy's own.
    /// Unchanged when no key is needed or the keys are set already, so a site backed up to a folder
    /// never needs the S3 secrets.
    /// </summary>
    /// <exception cref="InventoryException">A secret cannot be had.</exception>
    public SiteSettings WithS3Credentials(ISecretResolver secrets)
    {
        static bool IsS3(string? destination) => destination is not null && Storage.StorageLocation.IsS3Url(destination);
        static bool Pending(S3KeyReferences? keys, Storage.S3Settings? s3) => keys is not null && s3?.Credential is null;
        var site = Pending(S3Keys, S3) && (IsS3(Destination) || Copies.Any(c => c.S3 is null && IsS3(c.Destination)));
        if (!site && !Copies.Any(c => Pending(c.S3Keys, c.S3)))
            return this;
        return this with
        {
            S3 = site ? S3! with { Credential = S3Keys!.Resolve(secrets) } : S3,
            Copies = [.. Copies.Select(c => Pending(c.S3Keys, c.S3) ? c with { S3 = c.S3! with { Credential = c.S3Keys!.Resolve(secrets) } } : c)],
        };
    }

    public override string ToString() =>
        $"{Destination ?? "(default destination)"}{(Copies.Count == 0 ? "" : $", copies to {string.Join(", ", Copies)}")}{(Retention is null ? "" : $"; {Retention}")}";
}
