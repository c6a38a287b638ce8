using System.Management.Automation;
using WpBackup.Core.Inventory;
using WpBackup.Core.Sites;

namespace WpBackup.Cmdlets.Commands;

/// <summary>
/// The sites of the inventory file (docs/inventory.md) as WpSite objects, the same as
/// Find-WpSite's: each site's wp-config.php is read where the site lives (over SSH for a
/// server), so the database settings are real, and the inventory's own settings (destination,
/// exclude, retention, tags) ride along in Settings and Tags for New-WpBackup and Remove-WpBackup.
/// A site that cannot be read, or whose server cannot be reached, is a non-terminating error.
/// </summary>
[Cmdlet(VerbsCommon.Get, "WpSite")]
[OutputType(typeof(WpSite))]
public sealed class GetWpSiteCommand : WpBackupCmdlet
{
    private SiteInventory? _inventory;
    private InventorySiteReader? _reader;

    /// <summary>Site names to get (wildcards allowed); all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.SiteNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only sites with at least one of these tags (case-insensitive).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Tag { get; set; }

    /// <summary>The inventory file; default $env:WPBACKUP_CONFIG, else inventory.yml in the per-user config folder (~/.config/wpbackup on Linux, %APPDATA%\WpBackup on Windows).</summary>
    [Parameter]
    [Alias("InventoryPath")]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    protected override void BeginProcessing()
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
        _reader = new InventorySiteReader(new SecretManagementResolver(this), WriteWarning);
        WriteVerbose($"Inventory {_inventory!.Path}: {_inventory.Sites.Count} site(s).");
    }

    protected override void ProcessRecord()
    {
        var missing = new List<string>();
        foreach (var entry in _inventory!.Select(Name, Tag, missing.Add))
        {
            WriteVerbose($"Reading {entry}");
            try
            {
                var site = _reader!.Describe(entry);
                foreach (var problem in site.Database.Unresolved)
                    WriteWarning($"{site.Name}: {problem}");
                WriteObject(site);
            }
            catch (Exception e)
            {
                WriteFailure(e, entry.Name);
            }
        }
        foreach (var name in missing)
            WriteFailure(new InventoryException(InventoryErrors.SiteNotFound, _inventory.Path, null, null,
                $"there is no site named '{name}'. Sites: {string.Join(", ", _inventory.Sites.Select(s => s.Name))}."), name);
    }
}
