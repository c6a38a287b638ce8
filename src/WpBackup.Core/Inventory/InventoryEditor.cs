using System.Text;
using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Inventory.Schema;
using WpBackup.Core.Inventory.Yaml;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Inventory;

/// <summary>
/// Adds sites to an inventory file as a person would: new entries are written as text at the
/// end of the <c>sites:</c> list (and new servers at the end of <c>hosts:</c>), so everything
/// else in the file, comments and layout included, stays exactly as it was. Updating an entry
/// (-Force) rewrites that entry only: name, host, root and configPath are set from the site,
/// tags are added, and its other keys are copied over as written. Never writes a secret.
/// The result is checked as a whole before it replaces the file.
/// </summary>
public sealed class InventoryEditor
{
    private const string Header = "# WpBackup site inventory (docs/inventory.md). Get-WpSite reads it; Find-WpSite ... | Register-WpSite adds to it.\n";

    private readonly string _text;
    private readonly InventoryDocument? _document;
    private readonly Action<string> _warn;
    private readonly List<PendingSite> _sites = [];
    private readonly List<PendingHost> _hosts = [];

    private InventoryEditor(string path, string text, InventoryDocument? document, Action<string> warn)
    {
        Path = path;
        _text = text;
        _document = document;
        _warn = warn;
    }

    public string Path { get; }

    /// <summary>True when there is no file yet: saving creates it (0600).</summary>
    public bool IsNew => _document is null;

    /// <summary>True when something was staged since opening.</summary>
    public bool HasChanges => _sites.Count > 0;

    /// <summary>Opens (and checks) the inventory at <paramref name="path"/>; a missing file is a new, empty inventory.</summary>
    /// <exception cref="InventoryException">The existing file is unreadable or wrong: it is not touched.</exception>
    public static InventoryEditor Open(string path, Action<string> warn, SshConfig? sshConfig = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            return new InventoryEditor(full, "", null, warn);
        var text = InventoryFile.Read(full, warn);
        var document = InventoryDocumentReader.Read(text, full);
        new InventoryResolver(document, sshConfig ?? SshConfig.ForCurrentUser()).Resolve();
        return new InventoryEditor(full, text, document, warn);
    }

    /// <summary>The line of the existing entry named <paramref name="name"/> (case-insensitive), or null.</summary>
    public int? LineOf(string name) =>
        _document?.Sites.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))?.At.Line;

    /// <summary>
    /// Stages <paramref name="site"/>. Returns true when it updates an existing entry (only with
    /// <paramref name="force"/>), false when it adds one.
    /// </summary>
    /// <exception cref="InventoryException">The name is taken (and no force), or is not a valid site name.</exception>
    public bool Stage(WpSite site, IReadOnlyList<string> tags, bool force)
    {
        var name = site.Name;
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z0-9][A-Za-z0-9._-]*$"))
            throw new InventoryException(InventoryErrors.InvalidValue, Path, null, null,
                $"the site name '{name}' cannot be an inventory name (letters, digits, '.', '-', '_'; starting with a letter or digit).");
        var existing = _document?.Sites.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        var staged = _sites.FindIndex(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        if (!force && existing is not null)
            throw new InventoryException(InventoryErrors.AlreadyRegistered, Path, existing.At, existing.KeyPath,
                $"the inventory already has a site named '{existing.Name}'. -Force updates that entry (its host, root and configPath; its other settings stay), or edit the file.");
        if (!force && staged >= 0)
            throw new InventoryException(InventoryErrors.AlreadyRegistered, Path, null, null,
                $"two sites named '{name}' were given; each inventory name is unique. Register one, or -Force to keep the last.");

        var pending = new PendingSite
        {
            Name = existing?.Name ?? name,
            Host = site.Ssh is null ? null : HostKeyFor(site),
            Root = site.Root,
            ConfigPath = IsDefaultConfigPath(site) ? null : site.ConfigPath,
            Tags = (existing?.Settings.Tags ?? []).Concat(site.Tags).Concat(tags)
                .Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
            Replaces = existing,
        };
        if (staged >= 0)
            _sites[staged] = pending;
        else
            _sites.Add(pending);
        return existing is not null;
    }

    /// <summary>The new file text (the original with the staged entries written in).</summary>
    public string Render()
    {
        var edits = new List<(int Start, int End, string Text)>();
        var root = _document?.Root?.Resolved as YamlMapping;
        var sitesPair = root?.Pairs.FirstOrDefault(p => p.Key.Value == "sites");
        var hostsPair = root?.Pairs.FirstOrDefault(p => p.Key.Value == "hosts");
        var appended = new StringBuilder();

        foreach (var replaced in _sites.Where(s => s.Replaces is not null))
            edits.Add(Replace(replaced));

        var newHosts = _hosts.Where(h => _sites.Any(s => s.Host == h.Key)).ToList();
        if (newHosts.Count > 0)
        {
            if (hostsPair is null)
            {
                var section = "hosts:\n" + string.Concat(newHosts.Select(h => HostBlock(h, 2, 4)));
                if (sitesPair is not null)
                    edits.Add((LineStart(sitesPair.Key.Start.Index), LineStart(sitesPair.Key.Start.Index), section));
                else
                    appended.Append(section);
            }
            else
                edits.AddRange(AddToHosts(hostsPair, newHosts));
        }

        var newSites = _sites.Where(s => s.Replaces is null).ToList();
        if (newSites.Count > 0)
        {
            if (sitesPair is null)
                appended.Append("sites:\n").Append(string.Concat(newSites.Select(s => SiteBlock(s, 2, 4))));
            else
                edits.AddRange(AddToSites(sitesPair, newSites));
        }

        if (appended.Length > 0)
        {
            var prefix = _text.Length == 0 ? Header : _text.EndsWith('\n') ? "" : "\n";
            edits.Add((_text.Length, _text.Length, prefix + appended));
        }

        var result = new StringBuilder(_text);
        foreach (var (start, end, text) in edits.OrderByDescending(e => e.Start).ThenByDescending(e => e.End))
            result.Remove(start, end - start).Insert(start, text);
        var rendered = result.ToString();
        return _text.Contains("\r\n", StringComparison.Ordinal) ? rendered.Replace("\r\n", "\n").Replace("\n", "\r\n") : rendered;
    }

    /// <summary>Checks the new text as a whole and writes it (atomically; a new file 0600).</summary>
    /// <exception cref="InventoryException">The edit would leave an inventory that does not read back (ErrorId InventoryNotEditable).</exception>
    public void Save(SshConfig? sshConfig = null)
    {
        var text = Render();
        try
        {
            var check = SiteInventory.Parse(text, Path, sshConfig);
            foreach (var site in _sites)
            {
                if (check.Find(site.Name) is null)
                    throw new InventoryException(InventoryErrors.NotEditable, Path, null, null, $"the site '{site.Name}' is missing after the edit.");
            }
        }
        catch (InventoryException e) when (e.ErrorId != InventoryErrors.NotEditable)
        {
            throw new InventoryException(InventoryErrors.NotEditable, Path, null, null,
                $"adding the sites would leave the inventory broken ({e.Message}); nothing was written. Add them by hand.", e);
        }
        InventoryFile.Write(Path, text);
    }

    private string HostKeyFor(WpSite site)
    {
        var target = site.Ssh!;
        if (target.HasPassword)
            _warn($"{site.Name}: the inventory keeps no password; to log in to {target.ComputerName} with one, add 'password: {{secret: NAME}}' under its host entry.");
        if (target.HasKeyPassphrase)
            _warn($"{site.Name}: the inventory keeps no key passphrase; add 'keyPassphrase: {{secret: NAME}}' under the entry of host {target.ComputerName}.");
        if (_document?.Hosts.Values.FirstOrDefault(h => string.Equals(h.HostName ?? h.Key, target.ComputerName, StringComparison.OrdinalIgnoreCase)) is { } known)
        {
            if ((known.Ssh.User is { } user && user != target.UserName) || (known.Ssh.Port is { } port && port != target.Port))
                _warn($"{site.Name}: it is recorded on the inventory's host '{known.Key}', whose user or port differ from the connection that found it ({target}).");
            return known.Key;
        }
        if (_hosts.FirstOrDefault(h => h.Key == target.ComputerName) is { } pending)
            return pending.Key;
        _hosts.Add(new PendingHost
        {
            Key = target.ComputerName,
            Port = target.Port == 22 ? null : target.Port,
            User = target.UserName,
            KeyFiles = target.KeyFilesExplicit ? target.KeyFiles : [],
            KnownHostsFiles = target.KnownHostsFiles,
            ConnectTimeout = target.ConnectTimeout == TimeSpan.FromSeconds(15) ? null : (int)target.ConnectTimeout.TotalSeconds,
        });
        return target.ComputerName;
    }

    /// <summary>wp-config.php where WordPress looks for it (the root, or one folder up) is found again without being written down.</summary>
    private static bool IsDefaultConfigPath(WpSite site)
    {
        var remote = site.Ssh is not null;
        string Parent(string p) => remote ? p.TrimEnd('/')[..Math.Max(0, p.TrimEnd('/').LastIndexOf('/'))] : System.IO.Path.GetDirectoryName(p.TrimEnd('/', '\\')) ?? "";
        var folder = Parent(site.ConfigPath);
        return (remote ? site.ConfigPath.EndsWith("/wp-config.php", StringComparison.Ordinal) : System.IO.Path.GetFileName(site.ConfigPath) == "wp-config.php")
            && (folder == site.Root.TrimEnd('/', '\\') || folder == Parent(site.Root));
    }

    private IEnumerable<(int, int, string)> AddToSites(YamlPair pair, List<PendingSite> sites)
    {
        switch (pair.Value)
        {
            case YamlSequence { Flow: true } flow:
                var flowText = string.Join(", ", sites.Select(s => FlowSite(s, [])));
                return [(flow.CloseIndex, flow.CloseIndex, (flow.Items.Count > 0 ? ", " : "") + flowText)];
            case YamlSequence seq:
                var dash = seq.Start.Column - 1;
                var keys = seq.Items.FirstOrDefault() is YamlMapping { Flow: false } first ? first.Start.Column - 1 : dash + 2;
                var at = NextLineStart(seq.EndIndex);
                return [(at, at, (at == _text.Length && !_text.EndsWith('\n') ? "\n" : "") + string.Concat(sites.Select(s => SiteBlock(s, dash, keys))))];
            case YamlScalar { IsNull: true } empty:
                return AfterKey(pair, empty, string.Concat(sites.Select(s => SiteBlock(s, 2, 4))));
            default:
                throw NotEditable(pair.Value, "the 'sites:' list is not written as a plain list here (an alias?)");
        }
    }

    private IEnumerable<(int, int, string)> AddToHosts(YamlPair pair, List<PendingHost> hosts)
    {
        switch (pair.Value)
        {
            case YamlMapping { Flow: true } flow:
                var flowText = string.Join(", ", hosts.Select(FlowHost));
                return [(flow.CloseIndex, flow.CloseIndex, (flow.Pairs.Count > 0 ? ", " : "") + flowText)];
            case YamlMapping map:
                var indent = map.Start.Column - 1;
                var inner = map.Pairs.Select(p => p.Value).OfType<YamlMapping>().FirstOrDefault(m => !m.Flow) is { } firstHost ? firstHost.Start.Column - 1 : indent + 2;
                var at = NextLineStart(map.EndIndex);
                return [(at, at, (at == _text.Length && !_text.EndsWith('\n') ? "\n" : "") + string.Concat(hosts.Select(h => HostBlock(h, indent, inner))))];
            case YamlScalar { IsNull: true } empty:
                return AfterKey(pair, empty, string.Concat(hosts.Select(h => HostBlock(h, 2, 4))));
            default:
                throw NotEditable(pair.Value, "the 'hosts:' mapping is not written as a plain mapping here (an alias?)");
        }
    }

    /// <summary>For <c>key:</c> with an empty value: the block goes on the lines after the key (an explicit '~' or 'null' is removed).</summary>
    private IEnumerable<(int, int, string)> AfterKey(YamlPair pair, YamlScalar empty, string block)
    {
        var at = NextLineStart(Math.Max(pair.Key.EndIndex, empty.EndIndex));
        var edits = new List<(int, int, string)>();
        if (empty.EndIndex > empty.Start.Index)
            edits.Add((empty.Start.Index, empty.EndIndex, ""));
        edits.Add((at, at, (at == _text.Length && !_text.EndsWith('\n') ? "\n" : "") + block));
        return edits;
    }

    /// <summary>Rewrites an existing entry: found values set, tags merged, every other key copied as written.</summary>
    private (int, int, string) Replace(PendingSite site)
    {
        var entry = site.Replaces!;
        if (entry.Node is not YamlMapping item)
            throw NotEditable(entry.Node, $"the entry of '{entry.Name}' is not written as a mapping here (an alias?)");
        var kept = item.Pairs.Where(p => p.Key.Value is not ("name" or "host" or "root" or "configPath" or "tags")).ToList();
        if (item.Flow)
        {
            var chunks = kept.Select(p => _text[p.Key.Start.Index..p.Value.EndIndex]).ToList();
            return (item.Start.Index, item.EndIndex, FlowSite(site, chunks));
        }
        var lineStart = LineStart(item.Start.Index);
        var dashAt = _text.LastIndexOf('-', item.Start.Index - 1, item.Start.Index - lineStart);
        if (dashAt < 0)
            throw NotEditable(item, $"the entry of '{entry.Name}' does not start with '- ' on its line");
        var dash = dashAt - lineStart;
        var keys = item.Start.Column - 1;
        var text = new StringBuilder(SiteBlock(site, dash, keys));
        foreach (var pair in kept)
        {
            var end = NextLineStart(Math.Max(pair.Key.EndIndex, pair.Value.EndIndex));
            text.Append(' ', keys).Append(_text[pair.Key.Start.Index..end].TrimEnd('\r', '\n').Replace("\r\n", "\n")).Append('\n');
        }
        return (lineStart, NextLineStart(item.EndIndex), text.ToString());
    }

    private static string SiteBlock(PendingSite site, int dash, int keys)
    {
        var pad = new string(' ', keys);
        var text = new StringBuilder().Append(' ', dash).Append("- ").Append(' ', Math.Max(0, keys - dash - 2))
            .Append("name: ").Append(YamlScalarText.Write(site.Name)).Append('\n');
        if (site.Host is not null)
            text.Append(pad).Append("host: ").Append(YamlScalarText.Write(site.Host)).Append('\n');
        text.Append(pad).Append("root: ").Append(YamlScalarText.Write(site.Root)).Append('\n');
        if (site.ConfigPath is not null)
            text.Append(pad).Append("configPath: ").Append(YamlScalarText.Write(site.ConfigPath)).Append('\n');
        if (site.Tags.Length > 0)
            text.Append(pad).Append("tags: ").Append(YamlScalarText.List(site.Tags)).Append('\n');
        return text.ToString();
    }

    private static string FlowSite(PendingSite site, IEnumerable<string> chunks)
    {
        var parts = new List<string> { "name: " + YamlScalarText.Write(site.Name) };
        if (site.Host is not null)
            parts.Add("host: " + YamlScalarText.Write(site.Host));
        parts.Add("root: " + YamlScalarText.Write(site.Root));
        if (site.ConfigPath is not null)
            parts.Add("configPath: " + YamlScalarText.Write(site.ConfigPath));
        if (site.Tags.Length > 0)
            parts.Add("tags: " + YamlScalarText.List(site.Tags));
        return "{" + string.Join(", ", parts.Concat(chunks)) + "}";
    }

    private static IEnumerable<(string Key, string Value)> HostSettings(PendingHost host)
    {
        if (host.Port is { } port)
            yield return ("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (host.User is { } user)
            yield return ("user", YamlScalarText.Write(user));
        if (host.KeyFiles.Count > 0)
            yield return ("keyFile", host.KeyFiles.Count == 1 ? YamlScalarText.Write(host.KeyFiles[0]) : YamlScalarText.List(host.KeyFiles));
        if (host.KnownHostsFiles.Count > 0)
            yield return ("knownHostsFile", host.KnownHostsFiles.Count == 1 ? YamlScalarText.Write(host.KnownHostsFiles[0]) : YamlScalarText.List(host.KnownHostsFiles));
        if (host.ConnectTimeout is { } timeout)
            yield return ("connectTimeout", timeout.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string HostBlock(PendingHost host, int indent, int inner)
    {
        var settings = HostSettings(host).ToList();
        var text = new StringBuilder().Append(' ', indent).Append(YamlScalarText.Write(host.Key)).Append(':');
        if (settings.Count == 0)
            return text.Append(" {}\n").ToString();
        text.Append('\n');
        foreach (var (key, value) in settings)
            text.Append(' ', inner).Append(key).Append(": ").Append(value).Append('\n');
        return text.ToString();
    }

    private static string FlowHost(PendingHost host) =>
        YamlScalarText.Write(host.Key) + ": {" + string.Join(", ", HostSettings(host).Select(s => $"{s.Key}: {s.Value}")) + "}";

    private int LineStart(int index) => index == 0 ? 0 : _text.LastIndexOf('\n', index - 1) + 1;

    /// <summary>Where the line after the one holding the content that ends at <paramref name="end"/> starts (the text's end when none).</summary>
    private int NextLineStart(int end)
    {
        if (end > 0 && end <= _text.Length && _text[end - 1] == '\n')
            return end;
        var newline = _text.IndexOf('\n', Math.Min(end, _text.Length));
        return newline < 0 ? _text.Length : newline + 1;
    }

    private InventoryException NotEditable(YamlNode at, string why) =>
        new(InventoryErrors.NotEditable, Path, at.Start, null, $"cannot add to the inventory automatically: {why}. Add the entry by hand.");

    private sealed class PendingSite
    {
        public required string Name { get; init; }
        public string? Host { get; init; }
        public required string Root { get; init; }
        public string? ConfigPath { get; init; }
        public required string[] Tags { get; init; }
        public SiteEntry? Replaces { get; init; }
    }

    private sealed class PendingHost
    {
        public required string Key { get; init; }
        public int? Port { get; init; }
        public string? User { get; init; }
        public IReadOnlyList<string> KeyFiles { get; init; } = [];
        public IReadOnlyList<string> KnownHostsFiles { get; init; } = [];
        public int? ConnectTimeout { get; init; }
    }
}
