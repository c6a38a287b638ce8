using System.Management.Automation;
using WpBackup.Core;
using WpBackup.Core.Verification;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Cmdlets.Commands;

/// <summary>
/// Tests backups: reads each archive end to end and checks it against its manifest and sidecar;
/// with -Deep also restores it into a scratch folder and database. A failed check is a result
/// with Passed = $false and its Problems (and a warning each), not an error.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "WpBackup", DefaultParameterSetName = BackupSet)]
[OutputType(typeof(WpBackupTestResult))]
public sealed class TestWpBackupCommand : WpBackupCmdlet
{
    private const string BackupSet = "Backup";
    private const string PathSet = "Path";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = BackupSet)]
    public BackupInfo? Backup { get; set; }

    /// <summary>Archive files (ID.tar.zst); the sidecar beside each is checked when there is one.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Also restore into a scratch folder and a scratch database, check the WordPress tables, then remove both.</summary>
    [Parameter]
    public SwitchParameter Deep { get; set; }

    /// <summary>Server for the scratch database, DB_HOST form; default: the backup's wp-config.php DB_HOST.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ScratchDatabaseHost { get; set; }

    /// <summary>An account that may create, fill and drop the scratch database; default: the backup's wp-config.php login.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ScratchDatabaseCredential { get; set; }

    /// <summary>Name of the scratch database, which must not exist; default wpbackup_verify_ and a random suffix.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ScratchDatabaseName { get; set; }

    /// <summary>Folder in which the private scratch folder is made; default: the temp folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ScratchPath { get; set; }

    /// <summary>age identity files (age-keygen output) holding the secret key of an encrypted backup (ID.tar.zst.age).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? IdentityFile { get; set; }

    /// <summary>The passphrase of a backup encrypted with New-WpBackup -Encrypt -Passphrase.</summary>
    [Parameter]
    public System.Security.SecureString? Passphrase { get; set; }

    protected override void BeginProcessing()
    {
        if (!Deep && (ScratchDatabaseHost ?? ScratchDatabaseName ?? ScratchPath ?? (object?)ScratchDatabaseCredential) is not null)
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("-ScratchDatabaseHost, -ScratchDatabaseCredential, -ScratchDatabaseName and -ScratchPath are for -Deep; add -Deep or leave them out."),
                "ScratchWithoutDeep", ErrorCategory.InvalidArgument, null));
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == BackupSet)
            Test(Backup!, () => VerifyRequest.For(Backup!));
        else
        {
            foreach (var path in Path)
                Test(path, () => VerifyRequest.ForArchive(FileSystemPath(path)));
        }
    }

    private void Test(object target, Func<VerifyRequest> describe)
    {
        try
        {
            var request = describe() with
            {
                Deep = Deep,
                ScratchParent = ScratchPath is null ? null : FileSystemPath(ScratchPath),
                ScratchDatabase = SiteOverrides.From(ScratchDatabaseName, ScratchDatabaseHost, ScratchDatabaseCredential),
                Keys = target is BackupInfo backup ? DecryptionKeys(backup, IdentityFile, Passphrase) : DecryptionKeys(IdentityFile, Passphrase),
            };
            var result = WithReporter(3, $"Testing {target}", reporter => new BackupVerifier(reporter).Run(request, Cancellation));
            foreach (var problem in result.Problems)
                WriteWarning($"{result.Site}/{result.BackupId}: {problem}");
            WriteObject(result);
        }
        catch (Exception e)
        {
            WriteFailure(e, target);
        }
    }
}
