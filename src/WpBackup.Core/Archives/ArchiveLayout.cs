namespace WpBackup.Core.Archives;

/// <summary>
/// The archive contract: names inside a backup archive and beside it. Users open archives
/// without this tool (<c>tar --zstd -xf ID.tar.zst</c>), so these never change meaning.
/// </summary>
public static class ArchiveLayout
{
    /// <summary>The site's root folder is stored under this prefix.</summary>
    public const string FilesFolder = "files";

    /// <summary>A wp-config.php kept one folder above the root is stored here.</summary>
    public const string ParentConfigEntry = "config/wp-config.php";

    public const string DatabaseEntry = "database.sql";
    public const string ManifestEntry = "wpbackup.json";

    public const string ArchiveExtension = ".tar.zst";
    public const string SidecarExtension = ".json";

    public static string FileEntry(string relativePath) =>
        relativePath.Length == 0 ? FilesFolder + "/" : $"{FilesFolder}/{relativePath}";
}
