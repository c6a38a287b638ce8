using System.Management.Automation;
using WpBackup.Core.Inventory;
using WpBackup.Core.Sites;

namespace WpBackup.Cmdlets.Commands;

/// <summary>
/// Records sites (from Find-WpSite) in the inventory file so Get-WpSite returns them: new
/// entries are added at the end of its sites: list as text, so the rest of the file, comments
/// included, is kept as written; a server is added to hosts: the first time. Creates the file
/// (0600) when there is none. A name already in the inventory is an error unless -Force, which
/// updates that entry's host, root and configPath and keeps its other settings. Never writes a
/// password. Named Register (not Export/Add): it creates an entry for a resource in a
/// repository, like Register-PSRepository and SecretManagement's Register-SecretVault.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "WpSite", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(WpSite))]
public sealed class RegisterWpSiteCommand : WpBackupCmdlet
{
    private InventoryEditor? _editor;
    private readonly List<WpSite> _registered = [];

    /// <summary>Sites to record (from Find-WpSite or Get-WpSite).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public WpSite[] Site { get; set; } = [];

    /// <summary>Tags to give the sites (added to those they have).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Tag { get; set; } = [];

    /// <summary>The inventory file; default $env:WPBACKUP_CONFIG, else inventory.yml in the per-user config folder.</summary>
    [Parameter]
    [Alias("InventoryPath")]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>Update an entry of the same name instead of refusing it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit each site that was recorded.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        var path = FileSystemPath(ConfigPath ?? InventoryFile.DefaultPath());
        try
        {
            _editor = InventoryEditor.Open(path, WriteWarning);
        }
        catch (Exception e)
        {
            ThrowTerminatingError(ToErrorRecord(e, path));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var site in Site)
        {
            try
            {
                var line = _editor!.LineOf(site.Name);
                if (line is not null && !Force)
                {
                    _editor.Stage(site, Tag, force: false); // throws the error that names the existing entry
                    continue;
                }
                var where = site.IsLocal ? site.Root : $"{site.ComputerName}:{site.Root}";
                var action = line is null ? $"Add site '{site.Name}' ({where})" : $"Update site '{site.Name}' (line {line}) to {where}";
                if (!ShouldProcess(_editor.Path, action))
                    continue;
                _editor.Stage(site, Tag, Force);
                _registered.Add(site);
            }
            catch (Exception e)
            {
                WriteFailure(e, site);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (_editor is not { HasChanges: true })
            return;
        try
        {
            var created = _editor.IsNew;
            _editor.Save();
            WriteVerbose($"{(created ? "Created" : "Updated")} the inventory {_editor.Path}: {string.Join(", ", _registered.Select(s => s.Name))}.");
        }
        catch (Exception e)
        {
            ThrowTerminatingError(ToErrorRecord(e, _editor.Path));
        }
        if (PassThru)
            WriteObject(_registered, enumerateCollection: true);
    }
}
