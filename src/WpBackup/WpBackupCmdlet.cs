using System.Management.Automation;
using WpBackup.Core.Errors;
using WpBackup.Core.Reporting;

namespace WpBackup.Cmdlets;

/// <summary>What every WpBackup cmdlet shares: cancellation on Ctrl+C and mapping engine failures to error records.</summary>
public abstract class WpBackupCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    protected CancellationToken Cancellation => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Writes a failure for one item as a non-terminating error, so the pipeline goes on with the next.</summary>
    protected void WriteFailure(Exception exception, object? target)
    {
        if (exception is PipelineStoppedException or OperationCanceledException && _stop.IsCancellationRequested)
            throw new PipelineStoppedException();
        WriteError(ToErrorRecord(exception, target));
    }

    internal static ErrorRecord ToErrorRecord(Exception exception, object? target) => exception switch
    {
        WpBackupException known => new ErrorRecord(known, known.ErrorId, Category(known.Kind), known.Target ?? target),
        UnauthorizedAccessException => new ErrorRecord(exception, "AccessDenied", ErrorCategory.PermissionDenied, target),
        IOException => new ErrorRecord(exception, "IOError", ErrorCategory.WriteError, target),
        _ => new ErrorRecord(exception, "UnexpectedError", ErrorCategory.NotSpecified, target),
    };

    private static ErrorCategory Category(FailureKind kind) => kind switch
    {
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.NotFound => ErrorCategory.ObjectNotFound,
        FailureKind.ConfigParse => ErrorCategory.ParserError,
        FailureKind.Database => ErrorCategory.ConnectionError,
        FailureKind.Transport => ErrorCategory.ConnectionError,
        FailureKind.Archive => ErrorCategory.InvalidData,
        FailureKind.Destination => ErrorCategory.WriteError,
        FailureKind.Lock => ErrorCategory.ResourceBusy,
        FailureKind.Verification => ErrorCategory.InvalidResult,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>A PowerShell path (relative, ~, PSDrive) as a file-system path; literal, not wildcard-expanded.</summary>
    protected string FileSystemPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>A -Destination as given when it is s3://bucket/prefix, else as a file-system path.</summary>
    protected string DestinationPath(string destination) =>
        WpBackup.Core.Storage.StorageLocation.IsS3Url(destination) ? destination : FileSystemPath(destination);

    /// <summary>S3 settings from the -S3* parameters over <paramref name="baseline"/> (the inventory's); unset ones fall back to the AWS SDK's environment ($env:AWS_*, profiles).</summary>
    private protected static WpBackup.Core.Storage.S3Settings S3SettingsFrom(string? endpoint, string? region, bool? pathStyle, PSCredential? credential,
        WpBackup.Core.Storage.S3Settings? baseline = null)
    {
        baseline ??= new WpBackup.Core.Storage.S3Settings();
        return baseline with
        {
            Endpoint = endpoint is null ? baseline.Endpoint : new Uri(endpoint, UriKind.Absolute),
            Region = region ?? baseline.Region,
            PathStyle = pathStyle ?? baseline.PathStyle,
            Credential = credential is null ? baseline.Credential : WpBackup.Core.Storage.S3Credential.FromNetworkCredential(credential.GetNetworkCredential()),
        };
    }

    private readonly Dictionary<string, WpBackup.Core.Storage.S3Settings> _destinations = new(StringComparer.Ordinal);

    /// <summary>
    /// The settings of one s3:// destination for the whole command, made once with one shared throttle, so
    /// the backups and copies running side by side to that destination together keep to its bandwidth and upload limits.
    /// </summary>
    private protected WpBackup.Core.Storage.S3Settings DestinationSettings(string destination, WpBackup.Core.Storage.S3Settings settings)
    {
        lock (_destinations)
        {
            var key = $"{destination.TrimEnd('/')} at {settings}";
            if (!_destinations.TryGetValue(key, out var shared))
                _destinations[key] = shared = settings.Shared();
            return shared;
        }
    }

    /// <summary>-MaxBandwidth, -UploadConcurrency and -PartUploadConcurrency over <paramref name="settings"/> (unset ones keep theirs).</summary>
    private protected static WpBackup.Core.Storage.S3Settings WithUploadLimits(WpBackup.Core.Storage.S3Settings settings, long? bytesPerSecond, int? uploads, int? parts) => settings with
    {
        MaxBytesPerSecond = bytesPerSecond ?? settings.MaxBytesPerSecond,
        MaxConcurrentUploads = uploads ?? settings.MaxConcurrentUploads,
        MaxConcurrentPartUploads = parts ?? settings.MaxConcurrentPartUploads,
    };

    private WpBackup.Core.Crypto.BackupDecryption? _keys;

    /// <summary>The keys for encrypted archives from -IdentityFile and -Passphrase, read once per command.</summary>
    private protected WpBackup.Core.Crypto.BackupDecryption DecryptionKeys(string[]? identityFiles, System.Security.SecureString? passphrase) =>
        _keys ??= WpBackup.Core.Crypto.BackupDecryption.From(identityFiles?.Select(FileSystemPath), passphrase);

    private WpBackup.Core.Inventory.SiteInventory? _inventory;
    private InventoryEncryption? _inventoryKeys;

    /// <summary>
    /// The keys for an encrypted backup: -IdentityFile and -Passphrase when given; else those the inventory's
    /// <c>encryption:</c> gives the backup's site (identity files, the passphrase from SecretManagement), when
    /// the inventory ($env:WPBACKUP_CONFIG or the per-user one) exists and names the site.
    /// </summary>
    private protected WpBackup.Core.Crypto.BackupDecryption DecryptionKeys(WpBackup.Core.WpBackup backup, string[]? identityFiles, System.Security.SecureString? passphrase)
    {
        var given = DecryptionKeys(identityFiles, passphrase);
        if (identityFiles is not null || passphrase is not null || !backup.Encrypted)
            return given;
        var path = WpBackup.Core.Inventory.InventoryFile.DefaultPath();
        if (_inventory is null && !File.Exists(path))
            return given;
        _inventory ??= WpBackup.Core.Inventory.SiteInventory.Load(path, WriteWarning);
        var encryption = _inventory.Find(backup.Site)?.Settings.Encryption;
        _inventoryKeys ??= new InventoryEncryption(new SecretManagementResolver(this));
        if (_inventoryKeys.KeysFor(encryption) is not { } keys)
            return given;
        WriteVerbose($"{backup}: keys from the encryption of site '{backup.Site}' in {path} ({encryption})");
        return keys;
    }

    /// <summary>Runs engine work with a reporter whose queued records are written at the end, even on failure.</summary>
    private protected T WithReporter<T>(int activityId, string activity, Func<CmdletReporter, T> work, LogFile? log = null)
    {
        var reporter = new CmdletReporter(this, activityId, log);
        try
        {
            return work(reporter);
        }
        catch (Exception e)
        {
            reporter.Error($"{activity}: {e.Message}");
            throw;
        }
        finally
        {
            reporter.Complete(activity);
            reporter.Drain();
        }
    }
}
