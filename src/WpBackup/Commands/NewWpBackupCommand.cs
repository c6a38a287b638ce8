using System.Collections;
using System.Management.Automation;
using WpBackup.Cmdlets.Completion;
using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Core.Hosts;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Errors;
using WpBackup.Core.Inventory;
using WpBackup.Core.Sites;
using WpBackup.Core.Storage;
using WpBackup.Core.Threading;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Cmdlets.Commands;

/// <summary>Backs up sites (files and/or database) into zstd tar archives with a sidecar each.</summary>
[Cmdlet(VerbsCommon.New, "WpBackup", SupportsShouldProcess = true, DefaultParameterSetName = SiteSet)]
[OutputType(typeof(BackupInfo))]
public sealed class NewWpBackupCommand : SiteHostCmdlet
{
    private const string SiteSet = "Site";
    private const string PathSet = "Path";
    private readonly SiteFinder _finder = new();
    private readonly List<(BackupRequest Request, IReadOnlyList<CopyTarget> Copies, object Target)> _queued = [];
    private InventoryEncryption? _inventoryKeys;
    private LogFile? _log;

    private LogFile? Log => LogPath is null ? null : _log ??= new LogFile(FileSystemPath(LogPath));

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = SiteSet)]
    public WpSite? Site { get; set; }

    /// <summary>A WordPress root folder, for a site not found with Find-WpSite (on -ComputerName when given).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("Root")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    public BackupType Type { get; set; } = BackupType.Full;

    /// <summary>Incremental: also compare files by SHA-256, not only by size and modification time.</summary>
    [Parameter]
    public SwitchParameter CompareContent { get; set; }

    /// <summary>Incremental: make a Full backup instead when the chain would be longer than N, or its full backup is older than N days.</summary>
    [Parameter]
    [ValidateRange(1, 3650)]
    public int? FullEvery { get; set; }

    /// <summary>Backup root folder; default $env:WPBACKUP_ROOT or the per-user data folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DestinationCompleter))]
    public string? Destination { get; set; }

    [Parameter]
    public string? Reason { get; set; }

    /// <summary>Extra patterns to leave out, relative to the site root (see about_WpBackup).</summary>
    [Parameter]
    public string[] Exclude { get; set; } = [];

    /// <summary>Back up cache and other backup plugins' folders too.</summary>
    [Parameter]
    public SwitchParameter NoDefaultExclude { get; set; }

    /// <summary>Your own key/value pairs, stored in the backup's metadata.</summary>
    [Parameter]
    public Hashtable? Metadata { get; set; }

    [Parameter]
    [ValidateRange(1, 19)]
    public int CompressionLevel { get; set; } = ZstdStreams.DefaultLevel;

    /// <summary>For sites on a server: compress the file stream there before it crosses the network (Auto: zstd when the server has it).</summary>
    [Parameter]
    public TransferCompression TransferCompression { get; set; } = TransferCompression.Auto;

    /// <summary>How often to try a site again after a transient failure (unreachable server, dropped connection, busy database); waits 2 s, then 4 s, ….</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int RetryCount { get; set; } = 2;

    /// <summary>How many sites from the pipeline to back up at once (1: one after the other, as they arrive).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>With -ThrottleLimit: at most this many backups at once on one server. One dump per database server runs at a time regardless.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimitPerHost { get; set; } = 2;

    /// <summary>Also write what happens (stages, warnings, errors, with times) to this file; it is rotated at 10 MB, five old files kept.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DatabaseName { get; set; }

    /// <summary>DB_HOST form: host, host:port or host:/path/to.sock.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DatabaseHost { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? DatabaseCredential { get; set; }

    /// <summary>Encrypt the archive with age (ID.tar.zst.age) to -Recipient public keys or a -Passphrase.</summary>
    [Parameter]
    public SwitchParameter Encrypt { get; set; }

    /// <summary>With -Encrypt: age X25519 public keys (age1...) that can decrypt the backup.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Recipient { get; set; }

    /// <summary>With -Encrypt: a passphrase instead of public keys (age's scrypt; alone, not with -Recipient). Also opens an encrypted parent of an incremental.</summary>
    [Parameter]
    public System.Security.SecureString? Passphrase { get; set; }

    /// <summary>Incremental: age identity files (age-keygen output) that open an encrypted parent backup, whose file list the incremental reads.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? IdentityFile { get; set; }


    /// <summary>For s3:// destinations: the service URL of a non-AWS S3 service (http:// or https://); default AWS or $env:AWS_ENDPOINT_URL.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? S3Endpoint { get; set; }

    /// <summary>For s3:// destinations: the signing region; default us-east-1 with -S3Endpoint, else $env:AWS_REGION.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? S3Region { get; set; }

    /// <summary>For s3:// destinations: path-style addressing (endpoint/bucket/key); on by default with -S3Endpoint.</summary>
    [Parameter]
    public SwitchParameter S3PathStyle { get; set; }

    /// <summary>For s3:// destinations: access key id (user name) and secret (password); default $env:AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS profile.</summary>
    [Parameter]
    [Credential]
    public PSCredential? S3Credential { get; set; }

    /// <summary>For s3:// destinations: upload bandwidth limit per destination, in bytes per second or as '10MB' (no limit by default).</summary>
    [Parameter]
    [ByteSize]
    [ValidateRange(1, long.MaxValue)]
    public long? MaxBandwidth { get; set; }

    /// <summary>For s3:// destinations: archives uploaded to one destination at once, however many sites -ThrottleLimit runs (no limit by default).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int? UploadConcurrency { get; set; }

    /// <summary>For s3:// destinations: multipart parts sent to one destination at once, over all its uploads (default 4).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int? PartUploadConcurrency { get; set; }

    /// <summary>A destination's S3 settings: the -S3* parameters (for the primary destination) over the inventory's, with the upload limits.</summary>
    private S3Settings S3Settings(string destination, S3Settings? inventory, bool primary)
    {
        var settings = primary
            ? S3SettingsFrom(S3Endpoint, S3Region, MyInvocation.BoundParameters.ContainsKey(nameof(S3PathStyle)) ? S3PathStyle.IsPresent : null, S3Credential, inventory)
            : inventory ?? new S3Settings();
        return DestinationSettings(destination, WithUploadLimits(settings, MaxBandwidth, UploadConcurrency, PartUploadConcurrency));
    }

    /// <summary>The inventory's copies of a site, but not its primary destination again.</summary>
    private List<CopyTarget> CopyTargets(SiteSettings? settings, string destination)
    {
        var targets = new List<CopyTarget>();
        foreach (var copy in settings?.Copies ?? [])
        {
            var path = DestinationPath(copy.Destination);
            if (!string.Equals(path.TrimEnd('/'), destination.TrimEnd('/'), StringComparison.Ordinal))
                targets.Add(new CopyTarget(path, StorageLocation.IsS3Url(path) ? S3Settings(path, copy.S3 ?? settings!.S3, primary: false) : null));
        }
        return targets;
    }

    private WpBackup.Core.Crypto.BackupEncryption? _encryption;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        // Without -Encrypt a passphrase can only be the key of an incremental's encrypted parent.
        if (!Encrypt && (Recipient is not null || (Passphrase is not null && Type != BackupType.Incremental)))
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("-Recipient and -Passphrase say whom to encrypt to; add -Encrypt to encrypt the backup."),
                "RecipientWithoutEncrypt", ErrorCategory.InvalidArgument, null));
        if (Encrypt && (Recipient is not null || Passphrase is not null))
        {
            try
            {
                _encryption = WpBackup.Core.Crypto.BackupEncryption.For(Recipient, Passphrase);
            }
            catch (Exception e)
            {
                ThrowTerminatingError(ToErrorRecord(e, null));
            }
        }
    }

    protected override void ProcessRecord()
    {
        object target = (object?)Site ?? Path!;
        try
        {
            var site = Site ?? _finder.Describe(ResolveHost(), IsRemote ? Path! : FileSystemPath(Path!));
            var overrides = SiteOverrides.From(DatabaseName, DatabaseHost, DatabaseCredential);
            if (!overrides.IsEmpty)
                site = site.WithDatabase(overrides.ApplyTo(site.Database));
            target = site;
            var settings = site.Settings; // from the inventory (Get-WpSite); parameters win over it
            var destination = DestinationPath(Destination ?? settings?.Destination ?? BackupCatalog.DefaultRoot());
            _inventoryKeys ??= new InventoryEncryption(new SecretManagementResolver(this));
            var encryption = _encryption ?? _inventoryKeys.For(site, settings?.Encryption, Encrypt);
            var copies = CopyTargets(settings, destination);
            if (!ShouldProcess(site.Name, $"Back up ({Type}) to '{destination}'" + (encryption is null ? "" : ", encrypted") +
                                          (copies.Count == 0 ? "" : $", then copy to {string.Join(", ", copies.Select(c => $"'{c.Destination}'"))}")))
                return;
            var request = new BackupRequest
            {
                Site = site,
                Type = Type,
                Destination = destination,
                Reason = Reason,
                Exclude = [.. settings?.Exclude ?? [], .. Exclude],
                UseDefaultExcludes = !NoDefaultExclude,
                Metadata = ToStrings(Metadata),
                CompressionLevel = MyInvocation.BoundParameters.ContainsKey(nameof(CompressionLevel)) ? CompressionLevel : settings?.CompressionLevel ?? CompressionLevel,
                TransferCompression = TransferCompression,
                CompareContent = CompareContent,
                FullEvery = FullEvery,
                RetryCount = RetryCount,
                Encryption = encryption,
                ParentKeys = Type == BackupType.Incremental ? DecryptionKeys(IdentityFile, Passphrase) : WpBackup.Core.Crypto.BackupDecryption.None,
                S3Settings = StorageLocation.IsS3Url(destination) ? S3Settings(destination, settings?.S3, primary: true) : null,
            };
            if (ThrottleLimit > 1)
            {
                _queued.Add((request, copies, target));
                return;
            }
            var (backup, failures) = WithReporter(1, $"Backing up {site.Name}", reporter => Make(request, copies, reporter, Cancellation), Log);
            WriteObject(backup);
            foreach (var failure in failures)
                WriteFailure(failure, backup);
        }
        catch (Exception e)
        {
            WriteFailure(e, target);
        }
    }

    /// <summary>With -ThrottleLimit, the queued sites run side by side; results come out in the order the sites came in.</summary>
    protected override void EndProcessing()
    {
        if (_queued.Count == 0)
            return;
        var gates = new ConcurrencyGates(ThrottleLimitPerHost);
        var reporters = _queued.Select((_, index) => new CmdletReporter(this, index + 1, Log)).ToList();
        var work = _queued.Select((queued, index) => new Func<(BackupInfo Backup, IReadOnlyList<WpBackupException> Failures)>(() =>
            Make(queued.Request with { Gates = gates }, queued.Copies, reporters[index], Cancellation))).ToList();
        var outcomes = SideBySide.Start(work, ThrottleLimit, Cancellation);
        var runs = _queued.Select((queued, index) => (Task: outcomes[index], Reporter: reporters[index], queued.Target, Site: queued.Request.Site.Name)).ToList();

        var next = 0;
        while (next < runs.Count)
        {
            Task.WaitAny([runs[next].Task], TimeSpan.FromMilliseconds(100));
            foreach (var run in runs)
                run.Reporter.Drain();
            while (next < runs.Count && runs[next].Task.IsCompleted)
            {
                var run = runs[next++];
                run.Reporter.Complete($"Backing up {run.Site}");
                run.Reporter.Drain();
                if (run.Task.IsCompletedSuccessfully)
                {
                    WriteObject(run.Task.Result.Backup);
                    foreach (var failure in run.Task.Result.Failures)
                        WriteFailure(failure, run.Task.Result.Backup);
                }
                else
                {
                    run.Reporter.Error($"Backing up {run.Site}: {run.Task.Exception!.GetBaseException().Message}");
                    WriteFailure(run.Task.Exception!.GetBaseException(), run.Target);
                }
            }
        }
    }

    /// <summary>Makes the backup, then copies it to the inventory's other destinations; failed copies come back, the backup stands.</summary>
    private static (BackupInfo Backup, IReadOnlyList<WpBackupException> Failures) Make(BackupRequest request, IReadOnlyList<CopyTarget> copies,
        IOperationReporter reporter, CancellationToken cancel)
    {
        var backup = new BackupRunner(reporter).Run(request, cancel);
        return copies.Count == 0 ? (backup, []) : new BackupCopies(reporter).CopyTo(backup, copies, cancel);
    }

    private static Dictionary<string, string> ToStrings(Hashtable? table)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table is null)
            return result;
        foreach (DictionaryEntry entry in table)
            result[entry.Key.ToString()!] = entry.Value?.ToString() ?? "";
        return result;
    }
}
