using System.Text.RegularExpressions;
using WpBackup.Core.Text;

namespace WpBackup.Core.Archives;

/// <summary>
/// Decides which paths of a site stay out of a backup. Patterns are relative to the site root
/// and '/'-separated: a pattern without '/' matches an entry's name at any depth
/// (<c>*.log</c>, <c>cache</c>); a pattern with '/' matches the whole relative path
/// (<c>wp-content/cache</c>, <c>wp-content/uploads/backwpup-*</c>), as does one starting with
/// '/' (<c>/backups</c>: the root's folder only). <c>*</c> and <c>?</c>
/// never cross '/', <c>**</c> does. An excluded folder is skipped with everything under it.
/// </summary>
public sealed class ExcludeFilter
{
    /// <summary>Caches, upgrade leftovers and other backup plugins' archives: big, rebuildable or redundant.</summary>
    public static readonly IReadOnlyList<string> Defaults =
    [
        "wp-content/cache",
        "wp-content/upgrade",
        "wp-content/upgrade-temp-backup",
        "wp-content/updraft",
        "wp-content/ai1wm-backups",
        "wp-content/backups-dup-lite",
        "wp-content/backups-dup-pro",
        "wp-content/wpvividbackups",
        "wp-content/backup-db",
        "wp-content/uploads/backwpup-*",
        "wp-content/uploads/backup-guard",
    ];

    private readonly Regex[] _namePatterns;
    private readonly Regex[] _pathPatterns;

    public ExcludeFilter(IEnumerable<string> patterns)
    {
        var list = patterns.Select(p => p.Trim().Replace('\\', '/')).Where(p => p.Trim('/').Length > 0).ToList();
        Patterns = list;
        // A leading '/' anchors a pattern at the root, as in .gitignore: "/backups" is only the root's backups folder.
        bool Anchored(string p) => p.StartsWith('/') || p.Trim('/').Contains('/');
        _namePatterns = list.Where(p => !Anchored(p)).Select(p => Glob.ToRegex(p.Trim('/'), pathAware: true)).ToArray();
        _pathPatterns = list.Where(Anchored).Select(p => Glob.ToRegex(p.Trim('/'), pathAware: true)).ToArray();
    }

    public IReadOnlyList<string> Patterns { get; }

    public bool IsExcluded(string relativePath)
    {
        if (relativePath.Length == 0)
            return false;
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return _namePatterns.Any(r => r.IsMatch(name)) || _pathPatterns.Any(r => r.IsMatch(relativePath));
    }
}
