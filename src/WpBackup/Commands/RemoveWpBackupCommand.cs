using System.Globalization;
using System.Management.Automation;
using WpBackup.Cmdlets.Completion;
using WpBackup.Core;
using WpBackup.Core.Retention;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Cmdlets.Commands;

/// <summary>
/// Removes backups (archive and sidecar together) that a retention policy does not keep: the
/// backups piped in, or every backup of the sites named by -Site. Rules work per site like
/// restic's forget (docs/retention.md); what any rule keeps stays. A backup that stays keeps
/// every backup it depends on through its Parent chain, and a site's newest backup is kept
/// unless -Force. Emits nothing; -WhatIf lists every backup with keep or remove and the rules
/// that decided, -Verbose writes the same as one line per backup.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "WpBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = BackupSet)]
public sealed partial class RemoveWpBackupCommand : WpBackupCmdlet
{
    private const string BackupSet = "Backup";
    private const string SiteSet = "Site";
    private readonly List<BackupInfo> _candidates = [];
    private RetentionPolicy _policy = new();

    /// <summary>
    /// Backups to consider (from Get-WpBackup). The rules apply to these, per site; without any
    /// rule every one of them is removed, but each site's newest unless -Force.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = BackupSet)]
    public BackupInfo[] Backup { get; set; } = [];

    /// <summary>Consider every backup of these sites (wildcards allowed). Needs a rule, or -Force to remove all.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SiteSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SiteNameCompleter))]
    public string? Site { get; set; }

    /// <summary>With -Site: the backup folder; default $env:WPBACKUP_ROOT, else the per-user data folder (with -InventoryPolicy: the site's inventory destination).</summary>
    [Parameter(ParameterSetName = SiteSet)]
    [Parameter(ParameterSetName = InventorySet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DestinationCompleter))]
    public string? Destination { get; set; }

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

    private WpBackup.Core.Storage.S3Settings S3Settings(WpBackup.Core.Storage.S3Settings? inventory = null) => S3SettingsFrom(S3Endpoint, S3Region,
        MyInvocation.BoundParameters.ContainsKey(nameof(S3PathStyle)) ? S3PathStyle.IsPresent : null, S3Credential, inventory);

    /// <summary>
    /// Only backups older than this (from now) are candidates for removal; younger ones are kept.
    /// A number means days; also '12h', '30d', '2w' or a TimeSpan.
    /// </summary>
    [Parameter]
    [TimeSpanOrDays]
    public TimeSpan? OlderThan { get; set; }

    /// <summary>Keep the newest N backups of each site.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepLast { get; set; }

    /// <summary>Keep the newest backup of each of the N most recent clock hours that have a backup (in -TimeZone).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepHourly { get; set; }

    /// <summary>Keep the newest backup of each of the N most recent calendar days that have a backup (in -TimeZone).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepDaily { get; set; }

    /// <summary>Keep the newest backup of each of the N most recent ISO weeks (Monday to Sunday, in -TimeZone) that have a backup.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepWeekly { get; set; }

    /// <summary>Keep the newest backup of each of the N most recent calendar months that have a backup (in -TimeZone).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepMonthly { get; set; }

    /// <summary>Keep the newest backup of each of the N most recent calendar years that have a backup (in -TimeZone).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepYearly { get; set; }

    /// <summary>
    /// Keep every backup made within this span before the newest backup of the site being considered
    /// (not before now, so a site whose backups stopped keeps its last ones). A number means days;
    /// also '12h', '30d', '2w' or a TimeSpan.
    /// </summary>
    [Parameter]
    [TimeSpanOrDays]
    public TimeSpan? KeepWithin { get; set; }

    /// <summary>
    /// The time zone whose calendar days, ISO weeks, months, years and clock hours the -Keep* buckets
    /// follow: 'Local' (default: this machine's zone), 'UTC', an id such as 'Europe/Berlin', or Get-TimeZone's output.
    /// </summary>
    [Parameter]
    [TimeZone]
    [ValidateNotNull]
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Local;

    /// <summary>
    /// Allow removing a site's newest backup, and with -Site and no rule, remove all its backups.
    /// Never removes a backup that a backup which stays depends on.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        if (InventoryPolicy)
        {
            CheckInventoryPolicyAlone();
            return;
        }
        _policy = new RetentionPolicy
        {
            KeepLast = KeepLast,
            KeepHourly = KeepHourly,
            KeepDaily = KeepDaily,
            KeepWeekly = KeepWeekly,
            KeepMonthly = KeepMonthly,
            KeepYearly = KeepYearly,
            KeepWithin = KeepWithin,
            OlderThan = OlderThan,
            TimeZone = TimeZone,
            Force = Force,
        };
        try
        {
            _policy.Validate(backupsChosen: ParameterSetName == BackupSet);
        }
        catch (Exception e)
        {
            ThrowTerminatingError(ToErrorRecord(e, Site));
        }
    }

    protected override void ProcessRecord()
    {
        if (InventoryPolicy)
        {
            CollectInventorySites();
            return;
        }
        if (ParameterSetName == BackupSet)
            _candidates.AddRange(Backup);
        else
        {
            var destination = DestinationPath(Destination ?? BackupCatalog.DefaultRoot());
            if (WpBackup.Core.Storage.StorageLocation.IsS3Url(destination))
                _candidates.AddRange(WpBackup.Core.Storage.BackupStores.Open(destination, S3Settings()).List(Site, WriteWarning));
            else
                _candidates.AddRange(new BackupCatalog(destination).List(Site, WriteWarning));
        }
    }

    protected override void EndProcessing()
    {
        if (InventoryPolicy)
        {
            PruneWithInventoryPolicies();
            return;
        }
        WriteVerbose($"Retention policy: {_policy}");
        var catalog = ParameterSetName == SiteSet ? _candidates : SiteFolders();
        var plan = RetentionPlanner.Plan(_candidates, _policy, DateTime.UtcNow, catalog);
        foreach (var warning in plan.Warnings)
            WriteWarning(warning);
        plan.Apply(new Handler(this, WhatIfRequested()));
    }

    /// <summary>Every backup in the site folders the piped backups come from: the newest and the chains are judged on those.</summary>
    private List<BackupInfo> SiteFolders()
    {
        var all = new List<BackupInfo>();
        foreach (var inBucket in _candidates.Where(b => b.Store is not null).GroupBy(b => (b.Store!, b.Site)))
            all.AddRange(inBucket.Key.Item1.List(inBucket.Key.Site).Where(b => b.Site == inBucket.Key.Site));
        foreach (var folder in _candidates.Where(b => b.Store is null).Select(b => System.IO.Path.GetDirectoryName(b.Path)!).Distinct())
        {
            var root = System.IO.Path.GetDirectoryName(folder);
            if (root is null)
                continue;
            var site = System.IO.Path.GetFileName(folder);
            all.AddRange(new BackupCatalog(root).List(site.IndexOfAny(['*', '?']) < 0 ? site : null)
                .Where(b => System.IO.Path.GetDirectoryName(b.Path) == folder));
        }
        return all;
    }

    private bool WhatIfRequested() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? LanguagePrimitives.IsTrue(whatIf)
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

    private string Describe(BackupInfo backup)
    {
        var local = RetentionBuckets.Local(backup.Created, _policy.TimeZone);
        return $"{backup} ({Sizes.Human(backup.Size)}, {local.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)})";
    }

    private static string Reasons(RetentionDecision decision) => string.Join("; ", decision.Reasons.Select(r => r.Text));

    /// <summary>Maps plan steps to ShouldProcess (what-if and confirm lines), verbose lines and errors.</summary>
    private sealed class Handler(RemoveWpBackupCommand cmdlet, bool whatIf) : IRetentionHandler
    {
        public void Kept(RetentionDecision decision)
        {
            var line = $"Keep {cmdlet.Describe(decision.Backup)}: {Reasons(decision)}";
            if (whatIf)
                cmdlet.ShouldProcess(line, line, "Keep backup"); // in -WhatIf mode this only prints "What if: Keep …"
            else
                cmdlet.WriteVerbose(line);
        }

        public RemovalConsent Confirm(RetentionDecision decision)
        {
            var target = cmdlet.Describe(decision.Backup);
            var proceed = cmdlet.ShouldProcess(
                $"Remove {target}: {Reasons(decision)}",
                $"Remove backup {target}? It is {Reasons(decision)}.",
                "Remove backup",
                out var reason);
            if (proceed)
                return RemovalConsent.Remove;
            return reason == ShouldProcessReason.WhatIf ? RemovalConsent.WhatIf : RemovalConsent.Skip;
        }

        public void Removed(RetentionDecision decision)
        {
            // ShouldProcess has already written "Remove …: reasons" as the verbose line.
        }

        public void Held(RetentionDecision decision, BackupInfo child) =>
            cmdlet.WriteVerbose($"Keep {cmdlet.Describe(decision.Backup)}: its child {child.Id} was not removed and still needs it");

        public void Failed(RetentionDecision decision, Exception error) => cmdlet.WriteFailure(error, decision.Backup);
    }
}
