using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using WpBackup.Core;

namespace WpBackup.Cmdlets.Completion;

/// <summary>
/// Completes backup destinations (-Destination): existing folders below what was typed (relative,
/// absolute or ~), with the default backup root ($env:WPBACKUP_ROOT, else the per-user folder)
/// offered first when it exists and matches what was typed. Files are not offered.
/// </summary>
public sealed class DestinationCompleter : IArgumentCompleter
{
    private static readonly char[] Separators = OperatingSystem.IsWindows() ? ['/', '\\'] : ['/'];

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var context = CompletionContext.From(wordToComplete, fakeBoundParameters);
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var results = new List<CompletionResult>();

        var root = Path.TrimEndingDirectorySeparator(CompletionContext.ProviderPath(BackupCatalog.DefaultRoot()));
        if (Directory.Exists(root) && root.StartsWith(context.Word, comparison))
        {
            var from = Environment.GetEnvironmentVariable(BackupCatalog.RootVariable) is { Length: > 0 } ? "$env:" + BackupCatalog.RootVariable : "the per-user data folder";
            results.Add(context.Result(root, $"The default backup folder, from {from}", CompletionResultType.ProviderContainer));
        }

        // What was typed is a folder part (kept as typed) and the start of a name in it.
        var cut = context.Word.LastIndexOfAny(Separators) + 1;
        var typedFolder = context.Word[..cut];
        var start = context.Word[cut..];
        var folder = CompletionContext.ProviderPath(typedFolder.Length == 0 ? "." : typedFolder);
        foreach (var name in SubFolders(folder, start))
        {
            var text = (typedFolder.Length == 0 ? "." + Path.DirectorySeparatorChar : typedFolder) + name;
            var full = Path.Combine(folder, name);
            if (results.Count > 0 && string.Equals(full, root, comparison))
                continue; // the default root, already offered
            results.Add(context.Result(text, full, CompletionResultType.ProviderContainer));
        }
        return results;
    }

    /// <summary>The folders in a folder whose names start with the given text (hidden ones only when it starts with '.').</summary>
    private static IEnumerable<string> SubFolders(string folder, string start)
    {
        try
        {
            if (!Directory.Exists(folder))
                return [];
            return Directory.EnumerateDirectories(folder)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => name.StartsWith(start, StringComparison.OrdinalIgnoreCase) && (start.StartsWith('.') || !name.StartsWith('.')))
                .Order(StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
