using WpBackup.Core.Archives;

namespace WpBackup.Core;

/// <summary>One backup of one site, as listed from its sidecar.</summary>
public sealed class WpBackup
{
    public required string Id { get; init; }
    public required string Site { get; init; }
    public BackupType Type { get; init; }
    /// <summary>When the backup started, UTC.</summary>
    public DateTime Created { get; init; }
    public string? Reason { get; init; }
    /// <summary>The archive file.</summary>
    public required string Path { get; init; }
    /// <summary>Archive size in bytes.</summary>
    public long Size { get; init; }
    /// <summary>Files in the site's tree as of this backup.</summary>
    public long FileCount { get; init; }
    /// <summary>Files whose bytes this backup's own archive holds: for an incremental, the new and changed ones.</summary>
    public long StoredFileCount { get; init; }
    /// <summary>Size of the database dump in bytes; null when the backup holds no database.</summary>
    public long? DatabaseSize { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>Failed attempts (transient failures) before this backup succeeded.</summary>
    public int Retries { get; init; }
    /// <summary>The backup an incremental one was made on top of.</summary>
    public string? Parent { get; init; }
    /// <summary>Ids of the earlier backups whose archives a restore of this one also reads.</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    /// <summary>Where the site lived: "localhost" or the server's name as given.</summary>
    public required string ComputerName { get; init; }
    /// <summary>How that server was reached (no secrets); null for this machine.</summary>
    public ManifestSsh? Ssh { get; init; }
    public required string Root { get; init; }
    public string? WordPressVersion { get; init; }
    public string? DatabaseName { get; init; }
    public string? Sha256 { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>The archive is age-encrypted (ID.tar.zst.age): reading it needs -IdentityFile or -Passphrase.</summary>
    public bool Encrypted { get; init; }
    /// <summary>Who can decrypt an encrypted archive: age public keys, or "passphrase".</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    public string SidecarPath => BackupCatalog.SidecarPathFor(Path);

    /// <summary>Where New-WpBackup copied this backup after making it (the inventory's copies: folders or s3:// URLs of the copies' archives).</summary>
    public IReadOnlyList<string> Copies { get; init; } = [];

    internal BackupManifest Manifest { get; init; } = null!;

    /// <summary>What the sidecar says about the archive; null for a backup read from an archive without one (it carries the archive's own manifest).</summary>
    internal BackupManifest? Sidecar => (Manifest.Archive ?? Manifest.ArchiveSha256 ?? (object?)Manifest.ArchiveSize) is not null ? Manifest : null;

    /// <summary>The store the backup was listed from when that is not a local folder (an S3 bucket); null for archive files.</summary>
    internal Storage.IBackupStore? Store { get; init; }

    /// <summary>Where the backup is kept: a folder or s3://bucket/prefix.</summary>
    public string? Location => Store?.Name;

    public static WpBackup FromManifest(BackupManifest manifest, string archivePath, Storage.IBackupStore? store) =>
        new(FromManifest(manifest, archivePath), store);

    public WpBackup()
    {
    }

    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    private WpBackup(WpBackup other, Storage.IBackupStore? store)
    {
        Id = other.Id; Site = other.Site; Type = other.Type; Created = other.Created; Reason = other.Reason; Path = other.Path;
        Size = other.Size; FileCount = other.FileCount; StoredFileCount = other.StoredFileCount; DatabaseSize = other.DatabaseSize;
        Duration = other.Duration; Retries = other.Retries; Parent = other.Parent; Requires = other.Requires; Metadata = other.Metadata;
        ComputerName = other.ComputerName; Ssh = other.Ssh; Root = other.Root; WordPressVersion = other.WordPressVersion;
        DatabaseName = other.DatabaseName; Sha256 = other.Sha256; Warnings = other.Warnings; Encrypted = other.Encrypted;
        Recipients = other.Recipients; Manifest = other.Manifest; Store = store; Copies = other.Copies;
    }

    internal WpBackup WithCopies(IReadOnlyList<string> copies) => new(this, Store) { Copies = copies };

    public static WpBackup FromManifest(BackupManifest manifest, string archivePath) => new()
    {
        Id = manifest.Id,
        Site = manifest.Site,
        Type = Enum.Parse<BackupType>(manifest.Type, ignoreCase: true),
        Created = manifest.Created.UtcDateTime,
        Reason = manifest.Reason,
        Path = archivePath,
        Size = manifest.ArchiveSize ?? new FileInfo(archivePath).Length,
        FileCount = manifest.FileCount,
        StoredFileCount = manifest.StoredFileCount,
        DatabaseSize = manifest.Database?.DumpSize,
        Duration = TimeSpan.FromSeconds(manifest.DurationSeconds),
        Retries = manifest.Retries,
        Parent = manifest.Parent,
        Requires = manifest.Requires,
        Metadata = manifest.Metadata,
        ComputerName = manifest.ComputerName,
        Ssh = manifest.Ssh,
        Root = manifest.Root,
        WordPressVersion = manifest.WordPressVersion,
        DatabaseName = manifest.Database?.Name,
        Sha256 = manifest.ArchiveSha256,
        Warnings = manifest.Warnings,
        Encrypted = manifest.Encrypted == true || ArchiveLayout.IsEncryptedName(archivePath),
        Recipients = manifest.Recipients ?? [],
        Manifest = manifest,
    };

    internal bool IsLocalArchive() => Store?.ArchiveExists(this) ?? File.Exists(Path);

    public override string ToString() => $"{Site}/{Id}";
}
