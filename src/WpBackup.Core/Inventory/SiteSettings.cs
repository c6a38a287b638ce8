using WpBackup.Core.Retention;

namespace WpBackup.Core.Inventory;

/// <summary>
/// What the inventory says about how to back up one site, resolved (site over its preset, over
/// its host's preset, over defaults). <see cref="Sites.WpSite.Settings"/> carries it, so
/// New-WpBackup and Remove-WpBackup use it for sites that come from Get-WpSite.
/// </summary>
public sealed class SiteSettings
{
    /// <summary>The backup root folder; null: the cmdlets' default ($env:WPBACKUP_ROOT or the per-user data folder).</summary>
    public string? Destination { get; init; }

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

    public override string ToString() =>
        $"{Destination ?? "(default destination)"}{(Retention is null ? "" : $"; {Retention}")}";
}
