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

    /// <summary>An archive encrypted with age: the zstd stream inside an age v1 file (<c>age -d ID.tar.zst.age | tar --zstd -x</c>).</summary>
    public const string EncryptedArchiveExtension = ".tar.zst.age";

    /// <summary>Whether a file name is that of an age-encrypted archive.</summary>
    public static bool IsEncryptedName(string path) => path.EndsWith(EncryptedArchiveExtension, StringComparison.Ordinal);

    /// <summary>The backup id in an archive's file name (ID.tar.zst or ID.tar.zst.age).</summary>
    public static string IdOf(string fileName) =>
        fileName.EndsWith(EncryptedArchiveExtension, StringComparison.Ordinal) ? fileName[..^EncryptedArchiveExtension.Length]
        : fileName.EndsWith(ArchiveExtension, StringComparison.Ordinal) ? fileName[..^ArchiveExtension.Length]
        : fileName;

    public static string FileEntry(string relativePath) =>
        relativePath.Length == 0 ? FilesFolder + "/" : $"{FilesFolder}/{relativePath}";
}
