using WpBackup.Core.Errors;
using WpBackup.Core.Hosts;
using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Core.Sites;

/// <summary>Finds WordPress installs on a host and describes each as a <see cref="WpSite"/>.</summary>
public sealed class SiteFinder
{
    private readonly SiteNamer _namer = new();

    /// <summary>Sites at or below the paths; a path that does not exist is reported, not fatal.</summary>
    public IEnumerable<WpSite> Find(ISiteHost host, IReadOnlyList<string> paths, int depth, Action<string> onMissingPath, Action<Exception, string> onSiteFailure)
    {
        foreach (var location in host.FindSites(paths, depth, onMissingPath))
        {
            WpSite? site = null;
            try
            {
                site = Describe(host, location);
            }
            catch (WpBackupException e)
            {
                onSiteFailure(e, location.Root);
            }
            if (site is not null)
                yield return site;
        }
    }

    /// <summary>The site rooted exactly at <paramref name="root"/>.</summary>
    public WpSite Describe(ISiteHost host, string root)
    {
        var location = host.FindSites([root], 0, _ => throw new SiteNotFoundException("PathNotFound",
                $"The folder '{root}' does not exist on {host.ComputerName}. Check the path given to -Path."))
            .FirstOrDefault(s => s.Root.TrimEnd('/') == root.TrimEnd('/'));
        return location is null
            ? throw new SiteNotFoundException("NotWordPress",
                $"'{root}' on {host.ComputerName} is not a WordPress site: it needs wp-includes/version.php, wp-content and a wp-config.php (in it or one folder up). Use Find-WpSite to look for sites below a folder.")
            : Describe(host, location);
    }

    private WpSite Describe(ISiteHost host, SiteLocation location)
    {
        return new WpSite
        {
            Name = _namer.NameFor(location.Root),
            Root = location.Root,
            ConfigPath = location.ConfigPath,
            WordPressVersion = location.WordPressVersion,
            Database = WpConfigReader.Read(host, location.ConfigPath),
            ComputerName = host.ComputerName,
            Ssh = (host as SshHost)?.Target,
        };
    }
}
