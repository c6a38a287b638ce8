using System.Collections.ObjectModel;
using System.Management.Automation;
using WpBackup.Core.Sites;

namespace WpBackup.Cmdlets.Commands;

/// <summary>Finds WordPress installs under folders and describes each as a WpSite.</summary>
[Cmdlet(VerbsCommon.Find, "WpSite")]
[OutputType(typeof(WpSite))]
public sealed class FindWpSiteCommand : WpBackupCmdlet
{
    private readonly SiteFinder _finder = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>How many folders below each path to look (0: the path itself only).</summary>
    [Parameter]
    [ValidateRange(0, 32)]
    public int Depth { get; set; } = 3;

    protected override void ProcessRecord()
    {
        foreach (var folder in ResolveFolders())
        {
            var found = 0;
            try
            {
                foreach (var root in SiteFinder.FindRoots(folder, Depth))
                {
                    found++;
                    EmitSite(root);
                }
                if (found == 0)
                    WriteWarning($"No WordPress site found in '{folder}' or up to {Depth} folder(s) below it.");
            }
            catch (Exception e)
            {
                WriteFailure(e, folder);
            }
        }
    }

    private void EmitSite(string root)
    {
        try
        {
            var site = _finder.Describe(root);
            foreach (var problem in site.Database.Unresolved)
                WriteWarning($"{site.Name}: {problem}");
            WriteObject(site);
        }
        catch (Exception e)
        {
            WriteFailure(e, root);
        }
    }

    private IEnumerable<string> ResolveFolders()
    {
        foreach (var path in Path)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(path))
            {
                yield return FileSystemPath(path);
                continue;
            }
            Collection<string>? matches = null;
            try
            {
                matches = GetResolvedProviderPathFromPSPath(path, out _);
            }
            catch (ItemNotFoundException e)
            {
                WriteFailure(new Core.Errors.SiteNotFoundException("PathNotFound", $"Nothing matches '{path}'. {e.Message}"), path);
            }
            foreach (var match in matches ?? [])
                if (Directory.Exists(match))
                    yield return match;
        }
    }
}
