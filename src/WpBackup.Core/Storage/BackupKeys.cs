using WpBackup.Core.Archives;

namespace WpBackup.Core.Storage;

/// <summary>
/// The layout of backups in a bucket, the same as in a folder: <c>SITE/ID.tar.zst</c> and its
/// sidecar <c>SITE/ID.json</c>, relative to the location's prefix. As in a folder, a backup exists
/// once its sidecar exists, so the sidecar is written last and deleted first.
/// </summary>
public static class BackupKeys
{
    public static string SitePrefix(string site) => site + "/";

    public static string Archive(string site, string id) => $"{site}/{id}{ArchiveLayout.ArchiveExtension}";

    public static string Sidecar(string site, string id) => $"{site}/{id}{ArchiveLayout.SidecarExtension}";

    /// <summary>The archive key beside a sidecar key, or null when the key is no sidecar.</summary>
    public static string? ArchiveOfSidecar(string sidecarKey) =>
        sidecarKey.EndsWith(ArchiveLayout.SidecarExtension, StringComparison.Ordinal)
            ? sidecarKey[..^ArchiveLayout.SidecarExtension.Length] + ArchiveLayout.ArchiveExtension
            : null;
}
