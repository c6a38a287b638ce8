using System.Management.Automation;
using WpBackup.Cmdlets.Completion;
using WpBackup.Core;
using WpBackup.Core.Errors;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Cmdlets.Commands;

/// <summary>Lists backups from their sidecars (no archive is opened), newest first.</summary>
[Cmdlet(VerbsCommon.Get, "WpBackup", DefaultParameterSetName = ListSet)]
[OutputType(typeof(BackupInfo))]
public sealed class GetWpBackupCommand : WpBackupCmdlet
{
    private const string ListSet = "List";
    private const string PathSet = "Path";

    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DestinationCompleter))]
    public string? Destination { get; set; }

    /// <summary>Site name; wildcards allowed. Binds from a WpSite's Name down the pipeline.</summary>
    [Parameter(ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SiteNameCompleter))]
    public string Site { get; set; } = "*";

    [Parameter(ParameterSetName = ListSet)]
    public BackupType[]? Type { get; set; }

    /// <summary>Only the newest N backups of each site.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? Newest { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BackupIdCompleter))]
    public string? Id { get; set; }

    /// <summary>For s3:// destinations: the service URL of a non-AWS S3 service (http:// or https://); default AWS or $env:AWS_ENDPOINT_URL.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? S3Endpoint { get; set; }

    /// <summary>For s3:// destinations: the signing region; default us-east-1 with -S3Endpoint, else $env:AWS_REGION.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? S3Region { get; set; }

    /// <summary>For s3:// destinations: path-style addressing (endpoint/bucket/key); on by default with -S3Endpoint.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter S3PathStyle { get; set; }

    /// <summary>For s3:// destinations: access key id (user name) and secret (password); default $env:AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS profile.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Credential]
    public PSCredential? S3Credential { get; set; }

    private WpBackup.Core.Storage.S3Settings S3Settings() => S3SettingsFrom(S3Endpoint, S3Region,
        MyInvocation.BoundParameters.ContainsKey(nameof(S3PathStyle)) ? S3PathStyle.IsPresent : null, S3Credential);

    /// <summary>Archive files to read the metadata of (the sidecar beside each, else the archive itself).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>With -Path: age identity files that open an encrypted archive that has no sidecar beside it.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[]? IdentityFile { get; set; }

    /// <summary>With -Path: the passphrase of an encrypted archive that has no sidecar beside it.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public System.Security.SecureString? Passphrase { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == PathSet)
        {
            foreach (var path in Path)
            {
                try { WriteObject(BackupCatalog.Read(FileSystemPath(path), DecryptionKeys(IdentityFile, Passphrase))); }
                catch (Exception e) { WriteFailure(e, path); }
            }
            return;
        }

        var destination = DestinationPath(Destination ?? BackupCatalog.DefaultRoot());
        // A bucket's store stays open: the backups listed read their archives through it (| Restore-WpBackup, | Test-WpBackup).
        var store = WpBackup.Core.Storage.StorageLocation.IsS3Url(destination)
            ? WpBackup.Core.Storage.BackupStores.Open(destination, S3Settings())
            : new WpBackup.Core.Storage.LocalBackups(destination);
        IEnumerable<BackupInfo> backups;
        try
        {
            backups = store.List(Site, WriteWarning);
        }
        catch (Exception e)
        {
            WriteFailure(e, destination);
            return;
        }
        if (Type is { Length: > 0 })
            backups = backups.Where(b => Type.Contains(b.Type));
        if (Id is not null)
            backups = backups.Where(b => b.Id == Id);
        if (Newest is int newest)
            backups = backups.GroupBy(b => b.Site).SelectMany(site => site.Take(newest))
                .OrderByDescending(b => b.Created).ThenByDescending(b => b.Id, StringComparer.Ordinal);
        var listed = backups.ToList();
        if (listed.Count == 0 && Id is not null)
            WriteFailure(new BackupNotFoundException("BackupNotFound",
                $"No backup with id '{Id}' for site '{Site}' in '{store.Name}'. List them with Get-WpBackup -Site '{Site}'."), Id);
        WriteObject(listed, enumerateCollection: true);
    }
}
