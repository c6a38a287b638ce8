using System.Management.Automation;
using WpBackup.Core;
using WpBackup.Core.Operations;
using WpBackup.Core.Errors;
using WpBackup.Core.Storage;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Cmdlets.Commands;

/// <summary>
/// Copies backups (and the earlier backups their incrementals need) to an S3 bucket: the archive
/// first, its sidecar last, so the copy is listed only once whole. Backups already there with the same
/// size and SHA-256 are skipped. The archive's bytes are hashed on the way and must match the sidecar.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "WpBackup", SupportsShouldProcess = true)]
[OutputType(typeof(BackupInfo))]
public sealed class CopyWpBackupCommand : WpBackupCmdlet
{
    private readonly List<BackupInfo> _backups = [];

    /// <summary>Backups to copy, from Get-WpBackup (folders or buckets).</summary>
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
        var copier = new BackupCopier(store);
        var plan = CopyPlan.For(_backups);
        foreach (var failure in plan.Failures)
            WriteFailure(failure, failure.Target);
        var progress = new CopyProgress(store.Name, plan.Backups);
        foreach (var backup in plan.Backups)
        {
            WriteProgress(progress.Starting(backup));
            try
            {
                if (BackupCopier.SameCopy(backup, there) is { } copy)
                {
                    WriteVerbose($"{backup}: already in {store.Name} with the same size and SHA-256; skipped");
                    WriteObject(copy);
                    continue;
                }
                if (!ShouldProcess($"{backup} ({Sizes.Human(backup.Size)})", $"Copy to {store.Name}"))
                    continue;
                WriteObject(CopyOne(copier, backup, progress));
            }
            catch (Exception e)
            {
                WriteFailure(e, backup);
            }
            finally
            {
                progress.Finished(backup);
            }
        }
        WriteProgress(progress.Completed());
    }

    private BackupInfo CopyOne(BackupCopier copier, BackupInfo backup, CopyProgress progress)
    {
        var copy = copier.Copy(backup, copied => WriteProgress(progress.Copied(backup, copied)), Cancellation);
        WriteVerbose($"{backup}: copied {backup.Size:N0} bytes to {copy.Path}");
        return copy;
    }
}
