namespace WpBackup.Core.Archives;

/// <summary>What an archive held, as read and hashed by the extractor, ready to be checked against its manifest.</summary>
internal sealed class StagedExtraction
{
    public Dictionary<string, StagedEntry> Entries { get; } = new(StringComparer.Ordinal);
    /// <summary>Symbolic links restored so far: nothing is ever written through one.</summary>
    public HashSet<string> Links { get; } = new(StringComparer.Ordinal);
    public bool HasDump { get; set; }
    /// <summary>Where the dump was written; null when it was only checked.</summary>
    public string? DumpPath { get; set; }
    public string? DumpSha256 { get; set; }
    public long DumpSize { get; set; }
    public string? ParentConfigSha256 { get; set; }
    /// <summary>The dump's last bytes (up to <see cref="TailLength"/>), where the dump tool writes its completion marker.</summary>
    public byte[] DumpTail { get; set; } = [];
    public const int TailLength = 64;
    public BackupManifest? Manifest { get; set; }
    public List<string> Warnings { get; } = [];
    public long BytesWritten { get; set; }
    /// <summary>Entry bytes read and hashed (files, dump, parent config): what checking cost.</summary>
    public long BytesHashed { get; set; }
}

internal sealed record StagedEntry(ManifestEntryType Type, string? Sha256, string? LinkTarget);
