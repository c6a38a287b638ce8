using System.Collections.ObjectModel;
using System.Management.Automation;
using WpBackup.Core.Errors;
using WpBackup.Core.Hosts;
using WpBackup.Core.Sites;

namespace WpBackup.Cmdlets.Commands;

/// <summary>Finds WordPress installs under folders, on this machine or a server, and describes each as a WpSite.</summary>
[Cmdlet(VerbsCommon.Find, "WpSite")]
[OutputType(typeof(WpSite))]
public sealed class FindWpSiteCommand : SiteHostCmdlet
{
    /// <summary>Where web roots usually are, when -Path is not given.</summary>
    public static readonly string[] DefaultPaths = ["/var/www", "/srv/www", "/home/*/www", "/home/*/public_html"];

    private readonly SiteFinder _finder = new();

    /// <summary>Folders to search; wildcards allowed. On a server, paths are the server's.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>How many folders below each path to look (0: the path itself only).</summary>
    [Parameter]
    [ValidateRange(0, 32)]
    public int Depth { get; set; } = 3;

    protected override void ProcessRecord()
    {
        ISiteHost host;
        try
        {
            host = ResolveHost();
        }
        catch (Exception e)
        {
            WriteFailure(e, ComputerName);
            return;
        }
        IReadOnlyList<string> paths = IsRemote ? Path ?? DefaultPaths : ResolveLocalFolders(Path ?? DefaultPaths);
        var found = 0;
        var missing = new List<string>();
        try
        {
            foreach (var site in _finder.Find(host, paths, Depth, missing.Add, (e, root) => WriteFailure(e, root)))
            {
                found++;
                foreach (var problem in site.Database.Unresolved)
                    WriteWarning($"{site.Name}: {problem}");
                WriteObject(site);
            }
        }
        catch (Exception e)
        {
            WriteFailure(e, host.ComputerName);
            return;
        }
        foreach (var path in missing.Where(p => Path is not null))
            WriteFailure(new SiteNotFoundException("PathNotFound", $"The folder '{path}' does not exist on {host.ComputerName}. Check the path given to -Path."), path);
        if (found == 0)
            WriteWarning($"No WordPress site found on {host.ComputerName} in {string.Join(", ", paths)} or up to {Depth} folder(s) below.");
    }

    private List<string> ResolveLocalFolders(IEnumerable<string> paths)
    {
        var folders = new List<string>();
        foreach (var path in paths)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(path))
            {
                folders.Add(FileSystemPath(path));
                continue;
            }
            try
            {
                folders.AddRange(GetResolvedProviderPathFromPSPath(path, out _).Where(Directory.Exists));
            }
            catch (ItemNotFoundException)
            {
                // a wildcard that matches nothing is not an error: there is simply no site there
            }
        }
        return folders;
    }
}
