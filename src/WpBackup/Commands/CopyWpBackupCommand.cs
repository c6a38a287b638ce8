using System.Management.Automation;
using System.Security.Cryptography;
using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;
using WpBackup.Core.Storage;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Cmdlets.Commands;

/// <summary>
/// Copies local backups (and the earlier backups their incrementals need) to an S3 bucket: the archive
/// first, its sidecar last, so the copy is listed only once whole. Backups already there with the same
/// size and SHA-256 are skipped. The archive's bytes are hashed on the way and must match the sidecar.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "WpBackup", SupportsShouldProcess = true)]
[OutputType(typeof(BackupInfo))]
public sealed class CopyWpBackupCommand : WpBackupCmdlet
{
    private readonly List<BackupInfo> _backups = [];

    /// <summary>Backups to copy, from Get-WpBackup (local folders).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public BackupInfo[] Backup { get; set; } = [];

    /// <summary>The bucket and prefix to copy to: s3://bucket/prefix.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Service URL of a non-AWS S3 service; default AWS or $env:AWS_ENDPOINT_URL.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? S3Endpoint { get; set; }

    /// <summary>Signing region; default us-east-1 with -S3Endpoint, else $env:AWS_REGION.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? S3Region { get; set; }

    /// <summary>Path-style addressing (endpoint/bucket/key); on by default with -S3Endpoint.</summary>
    [Parameter]
    public SwitchParameter S3PathStyle { get; set; }

    /// <summary>Access key id (user name) and secret (password); default $env:AWS_* or the AWS profile.</summary>
    [Parameter]
    [Credential]
    public PSCredential? S3Credential { get; set; }

    /// <summary>Upload bandwidth limit, in bytes per second or as '10MB' (no limit by default).</summary>
    [Parameter]
    [ByteSize]
    [ValidateRange(1, long.MaxValue)]
    public long? MaxBandwidth { get; set; }

    /// <summary>Multipart parts sent at once (default 4).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int? PartUploadConcurrency { get; set; }

    protected override void BeginProcessing()
    {
        if (!StorageLocation.IsS3Url(Destination))
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"'{Destination}' is not an s3://bucket/prefix URL; Copy-WpBackup copies to buckets."),
                "CopyDestinationNotS3", ErrorCategory.InvalidArgument, Destination));
    }

    protected override void ProcessRecord() => _backups.AddRange(Backup);

    protected override void EndProcessing()
    {
        S3Backups store;
        List<BackupInfo> there;
        try
        {
            store = (S3Backups)BackupStores.Open(Destination, WithUploadLimits(S3SettingsFrom(S3Endpoint, S3Region,
                MyInvocation.BoundParameters.ContainsKey(nameof(S3PathStyle)) ? S3PathStyle.IsPresent : null, S3Credential),
                MaxBandwidth, uploads: null, PartUploadConcurrency));
            there = store.List();
        }
        catch (Exception e)
        {
            WriteFailure(e, Destination);
            return;
        }
        var existing = there.ToDictionary(b => (b.Site, b.Id));
        var toCopy = WithParents(_backups);
        var done = 0;
        foreach (var backup in toCopy)
        {
            done++;
            var progress = new ProgressRecord(4, $"Copying backups to {store.Name}", $"{backup} ({done} of {toCopy.Count})")
            { PercentComplete = (int)(100.0 * (done - 1) / toCopy.Count) };
            WriteProgress(progress);
            try
            {
                if (existing.TryGetValue((backup.Site, backup.Id), out var copy) && copy.Size == backup.Size &&
                    string.Equals(copy.Sha256, backup.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    WriteVerbose($"{backup}: already in {store.Name} with the same size and SHA-256; skipped");
                    WriteObject(copy);
                    continue;
                }
                if (!ShouldProcess($"{backup} ({Sizes.Human(backup.Size)})", $"Copy to {store.Name}"))
                    continue;
                WriteObject(CopyOne(store, backup, progress));
            }
            catch (Exception e)
            {
                WriteFailure(e, backup);
            }
        }
        WriteProgress(new ProgressRecord(4, $"Copying backups to {store.Name}", "done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>The backups and every earlier backup their incrementals need (from the same site folder), oldest first, once each.</summary>
    private List<BackupInfo> WithParents(List<BackupInfo> backups)
    {
        var all = new Dictionary<string, BackupInfo>(StringComparer.Ordinal);
        foreach (var backup in backups)
        {
            all.TryAdd(backup.Path, backup);
            if (backup.Requires.Count == 0)
                continue;
            var folder = System.IO.Path.GetDirectoryName(backup.Path)!;
            var siblings = new BackupCatalog(System.IO.Path.GetDirectoryName(folder)!).List(System.IO.Path.GetFileName(folder))
                .Where(b => b.Site == backup.Site).ToDictionary(b => b.Id, StringComparer.Ordinal);
            foreach (var id in backup.Requires)
            {
                if (!siblings.TryGetValue(id, out var parent))
                    throw new BackupNotFoundException("ParentMissing",
                        $"Backup {backup} needs backup {id}, which is not in '{folder}'; copy it back first.") { Target = backup };
                all.TryAdd(parent.Path, parent);
            }
        }
        return all.Values.OrderBy(b => b.Created).ThenBy(b => b.Id, StringComparer.Ordinal).ToList();
    }

    private BackupInfo CopyOne(S3Backups store, BackupInfo backup, ProgressRecord progress)
    {
        if (!File.Exists(backup.Path) || !File.Exists(backup.SidecarPath))
            throw new BackupNotFoundException("ArchiveNotFound", $"Backup {backup} is not a local backup with its archive and sidecar ('{backup.Path}').") { Target = backup };
        var sidecar = File.ReadAllBytes(backup.SidecarPath);
        var manifest = BackupManifest.FromJson(sidecar);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string url;
        long copied = 0;
        using (var source = ArchiveReader.OpenFile(backup.Path))
        using (var upload = store.CreateArchive(backup.Site, backup.Id, ArchiveLayout.IsEncryptedName(backup.Path), Cancellation))
        {
            url = upload.Path;
            var buffer = new byte[1 << 20];
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                Cancellation.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                upload.Stream.Write(buffer, 0, read);
                copied += read;
                progress.PercentComplete = source.Length == 0 ? 100 : (int)(100.0 * copied / source.Length);
                WriteProgress(progress);
            }
            var sha = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            if (copied != manifest.ArchiveSize || !string.Equals(sha, manifest.ArchiveSha256, StringComparison.OrdinalIgnoreCase))
                throw new ArchiveException("CopySourceMismatch",
                    $"The archive of {backup} ({copied:N0} bytes) is not the one its sidecar describes; nothing was copied. Check it with Test-WpBackup.");
            upload.Commit();
        }
        try
        {
            store.WriteSidecar(backup.Site, backup.Id, sidecar, Cancellation);
        }
        catch
        {
            try { store.Remove(BackupInfo.FromManifest(manifest, url, store)); } catch (WpBackupException) { }
            throw;
        }
        WriteVerbose($"{backup}: copied {copied:N0} bytes to {url}");
        return BackupInfo.FromManifest(manifest, url, store);
    }
}
