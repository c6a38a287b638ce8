using System.Management.Automation;
using WpBackup.Core;
using WpBackup.Core.Hosts;
using WpBackup.Core.Operations;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Cmdlets.Commands;

/// <summary>Restores a backup's files and/or database, checking every byte against the manifest before replacing anything.</summary>
[Cmdlet(VerbsData.Restore, "WpBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = BackupSet)]
[OutputType(typeof(WpRestoreResult))]
public sealed class RestoreWpBackupCommand : SiteHostCmdlet
{
    private const string BackupSet = "Backup";
    private const string PathSet = "Path";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = BackupSet)]
    public BackupInfo? Backup { get; set; }

    /// <summary>An archive file (ID.tar.zst).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Folder to restore the files into; default: the site's original root. On the backup's server, or -ComputerName when given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Target { get; set; }

    /// <summary>What to restore; default: everything the backup holds.</summary>
    [Parameter]
    public BackupType? Type { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DatabaseName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DatabaseHost { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? DatabaseCredential { get; set; }

    /// <summary>age identity files (age-keygen output) holding the secret key of an encrypted backup (ID.tar.zst.age).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? IdentityFile { get; set; }

    /// <summary>The passphrase of a backup encrypted with New-WpBackup -Encrypt -Passphrase.</summary>
    [Parameter]
    public System.Security.SecureString? Passphrase { get; set; }

    /// <summary>-ComputerName when given, else the server the backup came from, else this machine.</summary>
    private ISiteHost HostFor(BackupInfo backup) =>
        IsRemote ? ResolveHost()
        : backup.Ssh is { } ssh ? Connect(backup.ComputerName, UserName ?? ssh.UserName, Port ?? ssh.Port)
        : LocalHost.Instance;

    protected override void ProcessRecord()
    {
        object target = (object?)Backup ?? Path!;
        try
        {
            var backup = Backup ?? BackupCatalog.Read(FileSystemPath(Path!), DecryptionKeys(IdentityFile, Passphrase));
            target = backup;
            var keys = DecryptionKeys(backup, IdentityFile, Passphrase);
            var host = HostFor(backup);
            var plan = RestoreRunner.Plan(new RestoreRequest
            {
                Backup = backup,
                Host = host,
                Target = Target is null ? null : host is LocalHost ? FileSystemPath(Target) : Target,
                Type = Type,
                Database = SiteOverrides.From(DatabaseName, DatabaseHost, DatabaseCredential),
                Keys = keys,
            });
            if (!ShouldProcess($"{backup.Site} backup {backup.Id} on {host.ComputerName}", plan.Describe()))
                return;
            var result = WithReporter(2, $"Restoring {backup.Site}", reporter => new RestoreRunner(reporter).Run(plan, Cancellation));
            WriteObject(result);
        }
        catch (Exception e)
        {
            WriteFailure(e, target);
        }
    }
}
