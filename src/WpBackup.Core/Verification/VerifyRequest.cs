using WpBackup.Core.Archives;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Verification;

/// <summary>Which archive to test, what its sidecar says, and whether to restore it into scratch space too.</summary>
public sealed record VerifyRequest
{
    public required string ArchivePath { get; init; }

    /// <summary>A backup listed from a store other than a folder (an S3 bucket): its archive is read from there.</summary>
    internal WpBackup? Stored { get; init; }

    /// <summary>What the sidecar says about the archive; null when the archive has none.</summary>
    internal BackupManifest? Sidecar { get; init; }

    /// <summary>Why the sidecar beside the archive could not be read, when it could not.</summary>
    internal string? SidecarProblem { get; init; }

    /// <summary>Also restore into a scratch folder and a scratch database, and check the result.</summary>
    public bool Deep { get; init; }

    /// <summary>Folder in which the private scratch folder is made; the temp folder when null.</summary>
    public string? ScratchParent { get; init; }

    /// <summary>Where and as whom to create the scratch database (Name: its name); unset parts come from the backup's wp-config.php.</summary>
    public DatabaseOverrides ScratchDatabase { get; init; } = new();

    /// <summary>Keys that open an encrypted archive (ID.tar.zst.age).</summary>
    public Crypto.BackupDecryption Keys { get; init; } = Crypto.BackupDecryption.None;

    /// <summary>A listed backup: its sidecar is what Get-WpBackup read.</summary>
    public static VerifyRequest For(WpBackup backup)
    {
        var sidecar = backup.Sidecar;
        if (backup.Store is { } store)
            return new VerifyRequest
            {
                ArchivePath = backup.Path,
                Stored = backup,
                Sidecar = sidecar,
                SidecarProblem = sidecar is not null && !store.SidecarExists(backup)
                    ? $"its sidecar in {store.Name} is gone, so Get-WpBackup no longer lists it"
                    : null,
            };
        return new VerifyRequest
        {
            ArchivePath = backup.Path,
            Sidecar = sidecar,
            SidecarProblem = sidecar is not null && !File.Exists(backup.SidecarPath)
                ? $"its sidecar '{backup.SidecarPath}' is gone, so Get-WpBackup no longer lists it"
                : null,
        };
    }

    /// <summary>An archive file: its sidecar beside it is read when there is one.</summary>
    public static VerifyRequest ForArchive(string archivePath)
    {
        var full = System.IO.Path.GetFullPath(archivePath);
        var sidecarPath = BackupCatalog.SidecarPathFor(full);
        if (!File.Exists(sidecarPath))
            return new VerifyRequest { ArchivePath = full };
        try
        {
            return new VerifyRequest { ArchivePath = full, Sidecar = BackupManifest.FromJson(File.ReadAllBytes(sidecarPath)) };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            return new VerifyRequest { ArchivePath = full, SidecarProblem = $"its sidecar '{sidecarPath}' is not readable ({e.Message})" };
        }
    }
}
