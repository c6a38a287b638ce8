using WpBackup.Core.Archives;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Operations;

public sealed record BackupRequest
{
    public required WpSite Site { get; init; }
    public BackupType Type { get; init; } = BackupType.Full;
    /// <summary>The destination root; the backup goes into a folder named after the site below it.</summary>
    public required string Destination { get; init; }
    /// <summary>Endpoint, region and credentials for an s3://bucket/prefix <see cref="Destination"/>.</summary>
    public Storage.S3Settings? S3Settings { get; init; }
    public string? Reason { get; init; }
    /// <summary>Patterns added to <see cref="ExcludeFilter.Defaults"/> (or used alone without defaults).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];
    public bool UseDefaultExcludes { get; init; } = true;
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public int CompressionLevel { get; init; } = ZstdStreams.DefaultLevel;
    public int CompressionWorkers { get; init; } = ZstdStreams.DefaultWorkers;
    /// <summary>For sites on a server: whether the server compresses the file stream for the trip.</summary>
    public Hosts.TransferCompression TransferCompression { get; init; } = Hosts.TransferCompression.Auto;

    /// <summary>Incremental: compare files by SHA-256 too, not only by size and time.</summary>
    public bool CompareContent { get; init; }
    /// <summary>Incremental: make a full backup instead when the chain would be longer than this, or its full backup is older than this many days.</summary>
    public int? FullEvery { get; init; }

    /// <summary>How often to try again after a transient failure (unreachable server, dropped connection, busy database).</summary>
    public int RetryCount { get; init; } = 2;
    /// <summary>The wait before the first retry; it doubles each time.</summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>Shared limits when several backups run at once; null when this one runs alone.</summary>
    public ConcurrencyGates? Gates { get; init; }

    /// <summary>Encrypt the archive with age (ID.tar.zst.age) to these recipients; plain when null.</summary>
    public Crypto.BackupEncryption? Encryption { get; init; }

    /// <summary>Incremental: the keys that open an encrypted parent, to read its file list.</summary>
    public Crypto.BackupDecryption ParentKeys { get; init; } = Crypto.BackupDecryption.None;

    public bool IncludesFiles => Type.HasFiles();
    public bool IncludesDatabase => Type.HasDatabase();
}
