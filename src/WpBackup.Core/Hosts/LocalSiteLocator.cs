using System.Text.RegularExpressions;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Hosts;

/// <summary>Finds WordPress installs in local folders, as WordPress itself recognises them.</summary>
internal static partial class LocalSiteLocator
{
    /// <summary>WordPress's own folders: never searched for further installs.</summary>
    private static readonly HashSet<string> WordPressFolders = new(StringComparer.Ordinal) { "wp-admin", "wp-includes", "wp-content" };

    /// <summary>Installs at or below <paramref name="path"/>, at most <paramref name="depth"/> folders down; links to folders are not followed.</summary>
    public static IEnumerable<SiteLocation> Find(string path, int depth)
    {
        var start = Path.GetFullPath(path);
        if (!Directory.Exists(start))
            throw new SiteNotFoundException("PathNotFound", $"The folder '{start}' does not exist. Check the path given to -Path.");
        var pending = new Stack<(string Dir, int Level)>();
        pending.Push((start, 0));
        while (pending.Count > 0)
        {
            var (dir, level) = pending.Pop();
            if (Locate(dir) is { } site)
                yield return site;
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

    /// <summary>The install rooted at <paramref name="root"/>, or null when it is not one.</summary>
    public static SiteLocation? Locate(string root)
    {
        var version = Path.Combine(root, "wp-includes", "version.php");
        if (!File.Exists(version) || !Directory.Exists(Path.Combine(root, "wp-content")) || ConfigPathFor(root) is not { } config)
            return null;
        return new SiteLocation(root, config, ReadWordPressVersion(version));
    }

    /// <summary>
    /// wp-config.php as WordPress finds it: in the root, else one folder up unless that folder
    /// is itself a WordPress install (wp-settings.php there).
    /// </summary>
    public static string? ConfigPathFor(string root)
    {
        var inRoot = Path.Combine(root, "wp-config.php");
        if (File.Exists(inRoot))
            return inRoot;
        var parent = Path.GetDirectoryName(root.TrimEnd('/', '\\'));
        if (parent is null)
            return null;
        var above = Path.Combine(parent, "wp-config.php");
        return File.Exists(above) && !File.Exists(Path.Combine(parent, "wp-settings.php")) ? above : null;
    }

    private static string? ReadWordPressVersion(string versionFile)
    {
        try
        {
            return WordPressVersion.FromVersionFile(File.ReadAllText(versionFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>Reads <c>$wp_version</c> from wp-includes/version.php text.</summary>
public static partial class WordPressVersion
{
    public static string? FromVersionFile(string text)
    {
        var match = Assignment().Match(text);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"\$wp_version\s*=\s*['""]([^'""]+)['""]")]
    private static partial Regex Assignment();
}
