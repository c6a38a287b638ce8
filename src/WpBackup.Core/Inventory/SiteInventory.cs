using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Inventory.Schema;
using WpBackup.Core.Text;

namespace WpBackup.Core.Inventory;

/// <summary>
/// A checked, resolved inventory file (docs/inventory.md): the sites to back up, where they
/// live and how. Reading it connects to nothing and looks up no secret.
/// </summary>
public sealed class SiteInventory
{
    private SiteInventory(string path, IReadOnlyList<InventorySite> sites)
    {
        Path = path;
        Sites = sites;
    }

    public string Path { get; }

    /// <summary>Every site, in the file's order.</summary>
    public IReadOnlyList<InventorySite> Sites { get; }

    /// <summary>Reads and checks the file; warns when other users can read it.</summary>
    /// <exception cref="InventoryException">The file is missing, unreadable or wrong (the message names file, line and key).</exception>
    public static SiteInventory Load(string path, Action<string> warn, SshConfig? sshConfig = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        return Parse(InventoryFile.Read(full, warn), full, sshConfig);
    }

    /// <summary>Checks inventory text as if it were the file at <paramref name="path"/>.</summary>
    public static SiteInventory Parse(string text, string path, SshConfig? sshConfig = null)
    {
        var document = InventoryDocumentReader.Read(text, path);
        return new SiteInventory(path, new InventoryResolver(document, sshConfig ?? SshConfig.ForCurrentUser()).Resolve());
    }

    /// <summary>The site of this name (case-insensitive), or null.</summary>
    public InventorySite? Find(string name) => Sites.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Sites whose name matches any of <paramref name="names"/> (wildcards; all when none) and
    /// that have any of <paramref name="tags"/> (all when none). A name without wildcards that
    /// matches no site is reported through <paramref name="onMissing"/>.
    /// </summary>
    public IEnumerable<InventorySite> Select(IReadOnlyList<string>? names, IReadOnlyList<string>? tags, Action<string>? onMissing = null)
    {
        var patterns = (names ?? []).Select(n => (Name: n, Regex: Glob.ToRegex(n, pathAware: false, ignoreCase: true))).ToList();
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var site in Sites)
        {
            var hits = patterns.Where(p => p.Regex.IsMatch(site.Name)).ToList();
            if (patterns.Count > 0 && hits.Count == 0)
                continue;
            foreach (var hit in hits)
                matched.Add(hit.Name);
            if (tags is { Count: > 0 } && !site.Tags.Any(t => tags.Contains(t, StringComparer.OrdinalIgnoreCase)))
                continue;
            yield return site;
        }
        foreach (var (name, _) in patterns)
        {
            if (!matched.Contains(name) && name.IndexOfAny(['*', '?']) < 0)
                onMissing?.Invoke(name);
        }
    }
}
