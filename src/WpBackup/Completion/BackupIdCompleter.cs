using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace WpBackup.Cmdlets.Completion;

/// <summary>
/// Completes backup ids (-Id), newest first: those of the sites matching the bound -Site (every
/// site when it is not bound), in the backup root the command would read.
/// </summary>
public sealed class BackupIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var context = CompletionContext.From(wordToComplete, fakeBoundParameters);
        var site = WildcardPattern.Get(context.Bound("Site", "Name") ?? "*", WildcardOptions.IgnoreCase);
        return CompletionContext.SiteFolders(context.BackupRoot())
            .Where(s => site.IsMatch(s.Name))
            .SelectMany(s => CompletionContext.SidecarIds(s.Folder).Select(id => (Id: id, Site: s.Name)))
            .Where(b => context.Matches(b.Id))
            .GroupBy(b => b.Id, StringComparer.Ordinal)
            .OrderByDescending(g => g.Key, StringComparer.Ordinal)
            .Select(g => context.Result(g.Key, string.Join(", ", g.Select(b => $"{b.Site}/{b.Id}").Order(StringComparer.Ordinal))))
            .ToList();
    }
}
