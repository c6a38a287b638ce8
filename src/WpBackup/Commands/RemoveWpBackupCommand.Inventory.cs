using System.Management.Automation;
using WpBackup.Core;
using WpBackup.Core.Errors;
using WpBackup.Core.Inventory;
using WpBackup.Core.Storage;
using WpBackup.Core.Retention;
using WpBackup.Core.Sites;

namespace WpBackup.Cmdlets.Commands;

/// <summary>Remove-WpBackup -InventoryPolicy: each site's retention policy from the inventory (docs/inventory.md).</summary>
public sealed partial class RemoveWpBackupCommand
{
    private const string InventorySet = "Inventory";
    private readonly List<(string Name, SiteSettings Settings)> _inventorySites = [];
    private SiteInventory? _inventory;

    /// <summary>Sites (from Get-WpSite) whose backups to prune, each with its own retention policy from the inventory.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InventorySet)]
    public WpSite[] InputObject { get; set; } = [];

    /// <summary>
    /// Apply each site's retention policy from the inventory (the site's retention, else its
    /// preset's, else defaults') instead of -Keep* rules: to the sites piped in (from Get-WpSite)
    /// or to the inventory's sites named by -Site. -OlderThan, -TimeZone and -Force still apply.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = InventorySet)]
    [Parameter(ParameterSetName = SiteSet)]
    [Alias("ApplyPolicy")]
    public SwitchParameter InventoryPolicy { get; set; }

    /// <summary>With -InventoryPolicy: the inventory file; default $env:WPBACKUP_CONFIG, else inventory.yml in the per-user config folder.</summary>
    [Parameter(ParameterSetName = InventorySet)]
    [Parameter(ParameterSetName = SiteSet)]
    [Alias("InventoryPath")]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    private void CheckInventoryPolicyAlone()
    {
        string[] rules = ["KeepLast", "KeepHourly", "KeepDaily", "KeepWeekly", "KeepMonthly", "KeepYearly", "KeepWithin"];
        var given = rules.Where(MyInvocation.BoundParameters.ContainsKey).ToList();
        if (given.Count > 0)
            ThrowTerminatingError(ToErrorRecord(new WpBackupException(FailureKind.InvalidArgument, "InventoryPolicyWithRules",
                $"-InventoryPolicy takes the rules from the inventory; leave out -{string.Join(", -", given)}, or leave out -InventoryPolicy."), null));
    }

    private SiteInventory Inventory()
    {
        if (_inventory is null)
        {
            var path = FileSystemPath(ConfigPath ?? InventoryFile.DefaultPath());
            try
            {
                _inventory = SiteInventory.Load(path, WriteWarning);
            }
            catch (Exception e)
            {
                ThrowTerminatingError(ToErrorRecord(e, path));
            }
        }
        return _inventory!;
    }

    private void CollectInventorySites()
    {
        if (ParameterSetName == InventorySet)
        {
            foreach (var site in InputObject)
            {
                var settings = site.Settings ?? Inventory().Find(site.Name)?.Settings;
                if (settings is null)
                    WriteFailure(NotInInventory(site.Name), site);
                else
                    AddInventorySite(site.Name, settings);
            }
            return;
        }
        var missing = new List<string>();
        foreach (var entry in Inventory().Select([Site!], null, missing.Add))
            AddInventorySite(entry.Name, entry.Settings);
        foreach (var name in missing)
            WriteFailure(NotInInventory(name), name);
    }

    private void AddInventorySite(string name, SiteSettings settings)
    {
        if (settings.Retention is null)
        {
            WriteFailure(new WpBackupException(FailureKind.InvalidArgument, "RetentionPolicyMissing",
                $"Site '{name}' has no retention policy in the inventory {settings.InventoryPath}: add 'retention:' to its entry (line {settings.InventoryLine}), its preset or defaults. Its backups are left alone."), name);
            return;
        }
        if (!_inventorySites.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            _inventorySites.Add((name, settings));
    }

    private WpBackupException NotInInventory(string name) =>
        new InventoryException(InventoryErrors.SiteNotFound, Inventory().Path, null, null, $"there is no site named '{name}', so it has no retention policy there.");

    private void PruneWithInventoryPolicies()
    {
        foreach (var (name, settings) in _inventorySites)
        {
            _policy = settings.Retention! with
            {
                Force = Force,
                OlderThan = OlderThan,
                TimeZone = MyInvocation.BoundParameters.ContainsKey(nameof(TimeZone)) ? TimeZone : settings.Retention.TimeZone,
            };
            var root = DestinationPath(Destination ?? settings.Destination ?? BackupCatalog.DefaultRoot());
            // an s3:// destination of the inventory is reached with its s3: settings and keys (the -S3* parameters win)
            WpBackup.Core.Storage.S3Settings? s3 = null;
            try
            {
                s3 = StorageLocation.IsS3Url(root) ? S3Settings(settings.WithS3Credentials(new SecretManagementResolver(this)).S3) : null;
            }
            catch (Exception e)
            {
                WriteFailure(e, name);
                continue;
            }
            using var store = BackupStores.Open(root, s3);
            var backups = store.List(name, WriteWarning);
            WriteVerbose($"Retention policy of {name} (inventory): {_policy}; {backups.Count} backup(s) in {root}");
            if (backups.Count == 0)
                continue;
            var plan = RetentionPlanner.Plan(backups, _policy, DateTime.UtcNow, backups);
            foreach (var warning in plan.Warnings)
                WriteWarning(warning);
            plan.Apply(new Handler(this, WhatIfRequested()));
        }
    }
}
