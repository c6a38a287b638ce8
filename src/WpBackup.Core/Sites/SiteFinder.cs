using System.Text.RegularExpressions;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Sites;

/// <summary>Finds WordPress installs in local folders and describes each as a <see cref="WpSite"/>.</summary>
public sealed partial class SiteFinder
{
    /// <summary>WordPress's own folders: never searched for further installs.</summary>
    private static readonly HashSet<string> WordPressFolders = new(StringComparer.Ordinal) { "wp-admin", "wp-includes", "wp-content" };

    private readonly SiteNamer _namer = new();

    /// <summary>
    /// Roots of WordPress installs at or below <paramref name="path"/>, at most <paramref name="depth"/>
    /// folders down. Symbolic links to folders are not followed.
    /// </summary>
    public static IEnumerable<string> FindRoots(string path, int depth)
    {
        var start = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(start))
            throw new SiteNotFoundException("PathNotFound", $"The folder '{start}' does not exist. Check the path given to -Path.");
        var pending = new Stack<(string Dir, int Level)>();
        pending.Push((start, 0));
        while (pending.Count > 0)
        {
            var (dir, level) = pending.Pop();
            if (IsWordPressRoot(dir))
                yield return dir;
            if (level >= depth)
                continue;
            string[] children;
            try
            {
                children = Directory.GetDirectories(dir);
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            Array.Sort(children, StringComparer.Ordinal);
            for (var i = children.Length - 1; i >= 0; i--)
            {
                var child = new DirectoryInfo(children[i]);
                if (child.LinkTarget is null && !WordPressFolders.Contains(child.Name))
                    pending.Push((child.FullName, level + 1));
            }
        }
    }

    public static bool IsWordPressRoot(string dir) =>
        File.Exists(System.IO.Path.Combine(dir, "wp-includes", "version.php")) &&
        Directory.Exists(System.IO.Path.Combine(dir, "wp-content")) &&
        ConfigPathFor(dir) is not null;

    /// <summary>
    /// wp-config.php as WordPress finds it: in the root, else one folder up unless that folder
    /// is itself a WordPress install (wp-settings.php there).
    /// </summary>
    public static string? ConfigPathFor(string root)
    {
        var inRoot = System.IO.Path.Combine(root, "wp-config.php");
        if (File.Exists(inRoot))
            return inRoot;
        var parent = System.IO.Path.GetDirectoryName(root.TrimEnd('/', '\\'));
        if (parent is null)
            return null;
        var above = System.IO.Path.Combine(parent, "wp-config.php");
        return File.Exists(above) && !File.Exists(System.IO.Path.Combine(parent, "wp-settings.php")) ? above : null;
    }

    /// <summary>Describes the install at <paramref name="root"/>; reads wp-config.php and version.php.</summary>
    public WpSite Describe(string root)
    {
        var full = System.IO.Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new SiteNotFoundException("PathNotFound", $"The folder '{full}' does not exist. Check the path given to -Path.");
        var configPath = ConfigPathFor(full);
        if (!File.Exists(System.IO.Path.Combine(full, "wp-includes", "version.php")) || configPath is null)
            throw new SiteNotFoundException("NotWordPress",
                $"'{full}' is not a WordPress site: it needs wp-includes/version.php, wp-content and a wp-config.php (in it or one folder up). Use Find-WpSite to look for sites below a folder.");
        return new WpSite
        {
            Name = _namer.NameFor(full),
            Root = full,
            ConfigPath = configPath,
            WordPressVersion = ReadWordPressVersion(full),
            Database = WpConfigFile.ReadDatabaseSettings(configPath),
        };
    }

    public static string? ReadWordPressVersion(string root)
    {
        try
        {
            var text = File.ReadAllText(System.IO.Path.Combine(root, "wp-includes", "version.php"));
            var match = VersionAssignment().Match(text);
            return match.Success ? match.Groups[1].Value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\$wp_version\s*=\s*['""]([^'""]+)['""]")]
    private static partial Regex VersionAssignment();
}
