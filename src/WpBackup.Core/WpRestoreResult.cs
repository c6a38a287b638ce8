namespace WpBackup.Core;

/// <summary>What one restore did.</summary>
public sealed class WpRestoreResult
{
    public required string Site { get; init; }
    public required string BackupId { get; init; }
    public BackupType Type { get; init; }
    /// <summary>Where the restore went: "localhost" or the server's name.</summary>
    public required string ComputerName { get; init; }
    /// <summary>Folder the files went to; null when only the database was restored.</summary>
    public string? Target { get; init; }
    public long FilesRestored { get; init; }
    public long BytesRestored { get; init; }
    /// <summary>Database the dump went into; null when only files were restored.</summary>
    public string? Database { get; init; }
    public string? DatabaseServer { get; init; }
    /// <summary>The archives the restore read.</summary>
    public IReadOnlyList<string> Archives { get; init; } = [];
    public TimeSpan Duration { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>Archive entry bytes read and checked against their SHA-256: what verifying the restore cost.</summary>
    internal long BytesHashed { get; init; }
    /// <summary>Uncompressed bytes read from the restored backup's own archive.</summary>
    internal long BytesDecompressed { get; init; }
}
