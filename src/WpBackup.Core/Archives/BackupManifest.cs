using System.Text.Json;
using System.Text.Json.Serialization;

namespace WpBackup.Core.Archives;

/// <summary>
/// What a backup is: written as <c>wpbackup.json</c> inside the archive (with <see cref="Files"/>)
/// and as the sidecar beside it (without the file list, with the archive's own size and hash).
/// Never holds a password.
/// </summary>
public sealed class BackupManifest
{
    public int FormatVersion { get; set; } = 1;
    public string Tool { get; set; } = "WpBackup " + ToolVersion.Current;
    public required string Id { get; set; }
    public required string Site { get; set; }
    public required string ComputerName { get; set; }
    public required string Type { get; set; }
    public DateTimeOffset Created { get; set; }
    public string? Reason { get; set; }
    public string? Parent { get; set; }
    /// <summary>How the site's server was reached (no secrets); null for a site on the backing-up machine.</summary>
    public ManifestSsh? Ssh { get; set; }
    public required string Root { get; set; }
    public string? ConfigPath { get; set; }
    /// <summary>SHA-256 of config/wp-config.php when the site keeps wp-config.php one folder above its root.</summary>
    public string? ParentConfigSha256 { get; set; }
    public string? WordPressVersion { get; set; }
    public ManifestDatabase? Database { get; set; }
    /// <summary>Files in the site's tree as of this backup (what a restore gives back).</summary>
    public long FileCount { get; set; }
    /// <summary>Files whose bytes are in this backup's own archive (fewer than FileCount for incrementals).</summary>
    public long StoredFileCount { get; set; }
    public long FilesSize { get; set; }
    public double DurationSeconds { get; set; }
    /// <summary>How many failed attempts came before this backup succeeded.</summary>
    public int Retries { get; set; }
    public Dictionary<string, string> Metadata { get; set; } = [];
    public List<string> Warnings { get; set; } = [];

    /// <summary>Every entry of the site's tree as it was; inside the archive only.</summary>
    public List<ManifestFile>? Files { get; set; }

    /// <summary>Incremental backups: paths the parent backup had that are gone now.</summary>
    public List<string>? Deleted { get; set; }

    /// <summary>Ids of the earlier backups whose archives hold bytes this backup needs to restore (incrementals).</summary>
    public List<string> Requires { get; set; } = [];

    /// <summary>Sidecar only: the archive's file name, size and SHA-256.</summary>
    public string? Archive { get; set; }
    public long? ArchiveSize { get; set; }
    public string? ArchiveSha256 { get; set; }
    /// <summary>Sidecar only: where the manifest's own zstd frame starts in the zstd stream: in the file for a plain archive, in the age plaintext for an encrypted one.</summary>
    public long? ManifestOffset { get; set; }
    /// <summary>Sidecar only: the archive is an age file (ID.tar.zst.age); absent for plain archives.</summary>
    public bool? Encrypted { get; set; }
    /// <summary>Sidecar only: who can decrypt it: age public keys, or "passphrase". Never a secret.</summary>
    public List<string>? Recipients { get; set; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static BackupManifest FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<BackupManifest>(json, JsonOptions) ?? throw new JsonException("empty manifest");

    public BackupManifest ToSidecar(string archiveName, long archiveSize, string archiveSha256, long? manifestOffset,
        IReadOnlyList<string>? recipients = null)
    {
        var sidecar = (BackupManifest)MemberwiseClone();
        sidecar.Files = null;
        sidecar.Deleted = null;
        sidecar.Archive = archiveName;
        sidecar.ArchiveSize = archiveSize;
        sidecar.ArchiveSha256 = archiveSha256;
        sidecar.ManifestOffset = manifestOffset;
        sidecar.Encrypted = recipients is null ? null : true;
        sidecar.Recipients = recipients is null ? null : [.. recipients];
        return sidecar;
    }
}

/// <summary>The database part of a backup: where it came from (no password) and the dump's size and hash.</summary>
public sealed class ManifestDatabase
{
    public required string Name { get; set; }
    public required string Host { get; set; }
    public int? Port { get; set; }
    public string? Socket { get; set; }
    public required string User { get; set; }
    public required string TablePrefix { get; set; }
    public required string Charset { get; set; }
    public long DumpSize { get; set; }
    public string? DumpSha256 { get; set; }
    public string? DumpTool { get; set; }
}

/// <summary>The server a site was backed up from, so a restore can connect there again.</summary>
public sealed class ManifestSsh
{
    public required string HostName { get; set; }
    public int Port { get; set; } = 22;
    public required string UserName { get; set; }
}

public enum ManifestEntryType { File, Directory, Symlink }

/// <summary>One entry of the site's tree, relative to its root, '/'-separated ("" is the root itself).</summary>
public sealed class ManifestFile
{
    public required string Path { get; set; }
    [JsonConverter(typeof(JsonStringEnumConverter<ManifestEntryType>))]
    public ManifestEntryType Type { get; set; }
    public long Size { get; set; }
    /// <summary>Unix permission bits as octal text, e.g. "0644".</summary>
    public required string Mode { get; set; }
    public DateTimeOffset Modified { get; set; }
    public string? Sha256 { get; set; }
    public string? LinkTarget { get; set; }
    /// <summary>Id of the earlier backup whose archive holds this file's bytes; null when this backup's own archive does.</summary>
    public string? Source { get; set; }

    public static string ModeText(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8);
}
