using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace WpBackup.Cmdlets.Completion;

/// <summary>
/// Completes site names (-Site, -Name): the site folders that hold backups in the backup root the
/// command would read (-Destination when bound, else $env:WPBACKUP_ROOT or the per-user folder).
/// </summary>
public sealed class SiteNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var context = CompletionContext.From(wordToComplete, fakeBoundParameters);
        var root = context.BackupRoot();
        return CompletionContext.SiteFolders(root)
            .Where(site => context.Matches(site.Name))
            .OrderBy(site => site.Name, StringComparer.OrdinalIgnoreCase)
            .Select(site => context.Result(site.Name, $"{site.Name}: {site.Backups} backup(s) in {root}"))
            .ToList();
    }
}
