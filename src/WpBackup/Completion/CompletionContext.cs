using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using WpBackup.Core;
using WpBackup.Core.Archives;

namespace WpBackup.Cmdlets.Completion;

/// <summary>What the argument completers share: the word being completed, and the backup folders the command would use.</summary>
internal sealed class CompletionContext
{
    private CompletionContext(string word, char? quote, IDictionary boundParameters)
    {
        Word = word;
        Quote = quote;
        BoundParameters = boundParameters;
    }

    /// <summary>The word typed so far, without its opening quote.</summary>
    public string Word { get; }

    /// <summary>The quote the word was opened with, kept on the completions.</summary>
    public char? Quote { get; }

    public IDictionary BoundParameters { get; }

    public static CompletionContext From(string? wordToComplete, IDictionary? fakeBoundParameters)
    {
        var word = wordToComplete ?? "";
        char? quote = word.Length > 0 && word[0] is '\'' or '"' ? word[0] : null;
        if (quote is not null)
            word = word[1..].TrimEnd(quote.Value);
        return new CompletionContext(word, quote, fakeBoundParameters ?? new Hashtable());
    }

    /// <summary>Matches names that start with the word; wildcards in the word work as in the cmdlets.</summary>
    public bool Matches(string candidate) =>
        WildcardPattern.Get(WildcardPattern.Escape(Word).Replace("`*", "*").Replace("`?", "?") + "*", WildcardOptions.IgnoreCase).IsMatch(candidate);

    /// <summary>A bound string parameter's value, or null when it is not bound or is not a plain string.</summary>
    public string? Bound(params string[] names)
    {
        foreach (var name in names)
        {
            if (BoundParameters.Contains(name) && Unwrap(BoundParameters[name]) is string value && value.Length > 0)
                return value;
        }
        return null;
    }

    /// <summary>The backup root the command would read: -Destination when bound, else $env:WPBACKUP_ROOT or the per-user folder.</summary>
    public string BackupRoot() => ProviderPath(Bound("Destination") ?? BackupCatalog.DefaultRoot());

    /// <summary>Site folders of a backup root that hold at least one backup, with how many.</summary>
    public static IEnumerable<(string Name, string Folder, int Backups)> SiteFolders(string root)
    {
        IEnumerable<string> folders;
        try
        {
            folders = Directory.Exists(root) ? Directory.EnumerateDirectories(root).ToList() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder);
            if (name.StartsWith('.'))
                continue;
            var count = SidecarIds(folder).Count();
            if (count > 0)
                yield return (name, folder, count);
        }
    }

    /// <summary>The ids of the backups in a site folder (the names of their sidecars).</summary>
    public static IEnumerable<string> SidecarIds(string siteFolder)
    {
        try
        {
            return Directory.EnumerateFiles(siteFolder, "*" + ArchiveLayout.SidecarExtension)
                .Select(f => Path.GetFileName(f)[..^ArchiveLayout.SidecarExtension.Length])
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public CompletionResult Result(string value, string tooltip, CompletionResultType type = CompletionResultType.ParameterValue)
    {
        var text = Quote is { } q ? q + value + q
            : NeedsQuotes(value) ? "'" + value.Replace("'", "''") + "'"
            : value;
        return new CompletionResult(text, value, type, tooltip);
    }

    private static bool NeedsQuotes(string value) =>
        value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || "'\"`$&@(){}[];,|<>#".Contains(c));

    /// <summary>A PowerShell path (relative, ~, PSDrive) as a file-system path, as the cmdlets resolve it.</summary>
    public static string ProviderPath(string path)
    {
        try
        {
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddScript("param($p) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)").AddArgument(path);
            if (shell.Invoke().FirstOrDefault()?.BaseObject is string resolved)
                return resolved;
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException)
        {
            // no runspace to ask (or the path is not a file-system one): fall back to .NET's view
        }
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
