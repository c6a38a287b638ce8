using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace WpBackup.Cmdlets.Completion;

/// <summary>
/// Completes site names (-Site, -Name): the sites of the inventory (-ConfigPath when bound, else
/// $env:WPBACKUP_CONFIG or the per-user inventory) and the site folders that hold backups in the
/// backup root the command would read (-Destination when bound, else $env:WPBACKUP_ROOT or the
/// per-user folder).
/// </summary>
public sealed class SiteNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var context = CompletionContext.From(wordToComplete, fakeBoundParameters);
        var root = context.BackupRoot();
        var folders = CompletionContext.SiteFolders(root).ToDictionary(site => site.Name, site => site.Backups, StringComparer.OrdinalIgnoreCase);
        var inventory = InventorySiteNames(fakeBoundParameters);
        return folders.Keys.Concat(inventory.Keys).Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(context.Matches)
            .OrderBy(name => name, StringComparer.OrdinalIgnoreCase)
            .Select(name => context.Result(name, folders.TryGetValue(name, out var count)
                ? $"{name}: {count} backup(s) in {root}"
                : $"{name}: in the inventory {inventory[name]}"))
            .ToList();
    }

    /// <summary>Site names of the inventory file; none when there is no readable one (completion never fails).</summary>
    private static Dictionary<string, string> InventorySiteNames(IDictionary fakeBoundParameters)
    {
        var path = fakeBoundParameters["ConfigPath"] as string ?? WpBackup.Core.Inventory.InventoryFile.DefaultPath();
        try
        {
            return WpBackup.Core.Inventory.SiteInventory.Load(path, _ => { }).Sites
                .ToDictionary(site => site.Name, _ => path, StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception)
        {
            return [];
        }
    }
}
