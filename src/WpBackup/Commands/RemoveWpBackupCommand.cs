using System.Management.Automation;
using WpBackup.Core;
using WpBackup.Core.Operations;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Cmdlets.Commands;

/// <summary>
/// Removes backups (archive and sidecar together): those piped in, or a site's backups by age
/// or count. The newest backup of a site is kept unless -Force.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "WpBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = BackupSet)]
public sealed class RemoveWpBackupCommand : WpBackupCmdlet
{
    private const string BackupSet = "Backup";
    private const string SiteSet = "Site";
    private readonly List<BackupInfo> _candidates = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = BackupSet)]
    public BackupInfo[] Backup { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = SiteSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Site { get; set; }

    [Parameter(ParameterSetName = SiteSet)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>Remove only backups older than this; a number means days.</summary>
    [Parameter]
    [TimeSpanOrDays]
    public TimeSpan? OlderThan { get; set; }

    /// <summary>Keep the newest N backups of each site.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepLast { get; set; }

    /// <summary>Allow removing a site's newest backup.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        if (ParameterSetName == SiteSet && OlderThan is null && KeepLast is null && !Force)
            ThrowTerminatingError(new System.Management.Automation.ErrorRecord(
                new ArgumentException("With -Site, say which backups to remove: -OlderThan, -KeepLast, or -Force for all of them."),
                "RemovalPolicyMissing", ErrorCategory.InvalidArgument, Site));
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == BackupSet)
            _candidates.AddRange(Backup);
        else
            _candidates.AddRange(new BackupCatalog(FileSystemPath(Destination ?? BackupCatalog.DefaultRoot())).List(Site, WriteWarning));
    }

    protected override void EndProcessing()
    {
        var decisions = RemovalPlanner.Plan(_candidates, NewestPerSite(), DateTime.UtcNow, OlderThan, KeepLast, Force);
        foreach (var decision in decisions)
        {
            var backup = decision.Backup;
            if (!decision.Remove)
            {
                WriteVerbose($"{backup}: {decision.Reason}");
                continue;
            }
            if (!ShouldProcess($"{backup} ({Sizes.Human(backup.Size)}, {backup.Created:u})", "Remove backup"))
                continue;
            try
            {
                BackupCatalog.Remove(backup);
                WriteVerbose($"{backup}: {decision.Reason}");
            }
            catch (Exception e)
            {
                WriteFailure(e, backup);
            }
        }
    }

    /// <summary>Each site's newest backup in the destination folder that holds it, not just among those piped in.</summary>
    private Dictionary<string, string> NewestPerSite()
    {
        var newest = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var root in _candidates.Select(DestinationOf).Distinct())
            foreach (var backup in new BackupCatalog(root).List())
                newest.TryAdd(backup.Site, backup.Id);
        return newest;
    }

    private static string DestinationOf(BackupInfo backup) =>
        System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(backup.Path)!)!;
}
