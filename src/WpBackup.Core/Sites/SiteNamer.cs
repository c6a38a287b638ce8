using System.Text;

namespace WpBackup.Core.Sites;

/// <summary>
/// Derives a domain-like site name from a WordPress root: /var/www/example.com/htdocs →
/// example.com. Generic folder names (htdocs, public_html, www …) defer to their parent.
/// </summary>
public sealed class SiteNamer
{
    private static readonly HashSet<string> GenericFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "htdocs", "httpdocs", "public_html", "public", "html", "www", "web", "wordpress", "wp", "site", "current", "app",
    };

    private readonly Dictionary<string, int> _used = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A name for the root, unique among the names this namer has given.</summary>
    public string NameFor(string root)
    {
        var name = Derive(root);
        if (_used.TryGetValue(name, out var count))
        {
            _used[name] = count + 1;
            var candidate = $"{name}-{count + 1}";
            while (_used.ContainsKey(candidate))
                candidate = $"{name}-{++count + 1}";
            _used[candidate] = 1;
            return candidate;
        }
        _used[name] = 1;
        return name;
    }

    /// <summary>Top-level system folders are never a site's name: /var/www/html is "html", not "var".</summary>
    private static readonly HashSet<string> SystemFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "var", "srv", "opt", "usr", "home", "mnt", "data", "tmp",
    };

    public static string Derive(string root)
    {
        var parts = root.TrimEnd('/', '\\').Split('/', '\\', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            return "site";
        var index = parts.Length - 1;
        while (index > 0 && GenericFolders.Contains(parts[index]))
            index--;
        var chosen = GenericFolders.Contains(parts[index]) || SystemFolders.Contains(parts[index]) ? parts[^1] : parts[index];
        return Clean(chosen);
    }

    /// <summary>Lower-case letters, digits, '.', '-' and '_' only: safe as a folder name everywhere.</summary>
    public static string Clean(string name)
    {
        var clean = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
            clean.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-');
        var result = clean.ToString().Trim('-', '.');
        return result.Length == 0 ? "site" : result;
    }
}
