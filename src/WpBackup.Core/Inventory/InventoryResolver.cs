using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Inventory.Schema;

namespace WpBackup.Core.Inventory;

/// <summary>
/// Layers an inventory's settings into one <see cref="InventorySite"/> per site. Most specific
/// first: the site, its preset, its host's preset, then defaults. Single values take the first
/// level that sets them; exclude lists add up (defaults first); tags add up; a retention,
/// s3 or encryption block, and the copies list,
/// are each taken whole from the first level that has one. SSH settings: the site's (and its
/// preset's) ssh, then the host's own keys, the host's preset, defaults, then ~/.ssh/config.
/// </summary>
internal sealed class InventoryResolver(InventoryDocument document, SshConfig sshConfig)
{
    private readonly InventoryContext _context = new(document.Path);

    public List<InventorySite> Resolve() => document.Sites.Select(Resolve).ToList();

    private InventorySite Resolve(SiteEntry site)
    {
        var host = site.Host is { } h ? document.Hosts[h.Value] : null;
        var sitePreset = site.Preset is { } p ? document.Presets[p.Value].Settings : null;
        var hostPreset = host?.Preset is { } hp ? document.Presets[hp.Value].Settings : null;
        SettingsLayer[] chain = [.. new[] { site.Settings, sitePreset, hostPreset, document.Defaults }.OfType<SettingsLayer>()];

        if (host is null && site.Settings.Ssh is not null)
            throw _context.Error(InventoryErrors.InvalidValue, site.At, $"{site.KeyPath}.ssh",
                $"site '{site.Name}' has ssh settings but no 'host': a site without a host is on this machine. Add 'host: NAME' (defined under hosts:).");

        SshConnectionRequest? request = null;
        SshTarget? target = null;
        SecretReference? passphrase = null, password = null;
        if (host is not null)
        {
            SshSection?[] ssh = [site.Settings.Ssh, sitePreset?.Ssh, host.Ssh, hostPreset?.Ssh, document.Defaults.Ssh];
            T? First<T>(Func<SshSection, T?> pick) => ssh.OfType<SshSection>().Select(pick).FirstOrDefault(v => v is not null);
            request = new SshConnectionRequest(host.HostName ?? host.Key)
            {
                Port = ssh.OfType<SshSection>().Select(s => s.Port).FirstOrDefault(v => v is not null),
                UserName = First(s => s.User),
                KeyFiles = First(s => s.KeyFiles) ?? [],
                KnownHostsFiles = First(s => s.KnownHostsFiles) ?? [],
                ConnectTimeout = ssh.OfType<SshSection>().Select(s => s.ConnectTimeout).FirstOrDefault(v => v is not null) is int seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
            passphrase = First(s => s.KeyPassphrase);
            password = First(s => s.Password);
            target = SshTarget.Resolve(sshConfig, request);
        }

        var user = target?.UserName ?? Environment.UserName;
        var hostName = site.Host?.Value ?? Sites.WpSite.LocalComputerName;
        var rootSource = chain.Select(l => l.Root).FirstOrDefault(r => r is not null);
        if (rootSource is null)
            throw _context.Error(InventoryErrors.MissingKey, site.At, $"{site.KeyPath}.root",
                $"site '{site.Name}' has no 'root' (the WordPress folder), and no preset gives one.");
        var root = Expand(rootSource.Value.Value, site.Name, user, hostName);
        if (target is null)
            root = InventoryPaths.Local(root, _context.Folder);
        else if (!root.StartsWith('/'))
            throw _context.Error(InventoryErrors.InvalidValue, rootSource.Value.At, $"{site.KeyPath}.root",
                $"the root of site '{site.Name}' is on the server '{hostName}', so it must be an absolute path (starting with '/'), not '{root}'.");

        string? configPath = null;
        if (chain.Select(l => l.ConfigPath).FirstOrDefault(c => c is not null) is { } config)
        {
            configPath = Expand(config.Value, site.Name, user, hostName);
            configPath = target is null ? Path.GetFullPath(InventoryPaths.Local(configPath, root))
                : configPath.StartsWith('/') ? configPath : $"{root.TrimEnd('/')}/{configPath}";
        }

        T? Pick<T>(Func<SettingsLayer, T?> pick) => chain.Select(pick).FirstOrDefault(v => v is not null);
        DatabaseSection?[] databases = [site.Settings.Database, sitePreset?.Database, hostPreset?.Database];
        var db = databases.OfType<DatabaseSection>().ToList();
        return new InventorySite
        {
            Name = site.Name,
            Host = site.Host?.Value,
            Ssh = target,
            Root = root,
            ConfigPath = configPath,
            Tags = new SettingsLayer?[] { site.Settings, sitePreset, hostPreset }.OfType<SettingsLayer>()
                .SelectMany(l => l.Tags ?? []).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
            Line = site.At.Line,
            Database = new DatabaseSection
            {
                Name = db.Select(d => d.Name).FirstOrDefault(v => v is not null),
                Host = db.Select(d => d.Host).FirstOrDefault(v => v is not null),
                User = db.Select(d => d.User).FirstOrDefault(v => v is not null),
                Password = db.Select(d => d.Password).FirstOrDefault(v => v is not null),
            },
            SshRequest = request,
            SshKeyPassphrase = passphrase,
            SshPassword = password,
            Settings = new SiteSettings
            {
                Destination = Pick(l => l.Destination),
                Copies = Pick(l => l.Copies) ?? [],
                S3 = Pick(l => l.S3)?.Settings,
                S3Keys = Pick(l => l.S3)?.Keys,
                Encryption = Pick(l => l.Encryption),
                CompressionLevel = chain.Select(l => l.CompressionLevel).FirstOrDefault(v => v is not null),
                ThrottleLimit = chain.Select(l => l.ThrottleLimit).FirstOrDefault(v => v is not null),
                Exclude = chain.AsEnumerable().Reverse().SelectMany(l => l.Exclude ?? []).Distinct(StringComparer.Ordinal).ToArray(),
                Retention = Pick(l => l.Retention),
                Preset = site.Preset?.Value,
                Host = site.Host?.Value,
                InventoryPath = document.Path,
                InventoryLine = site.At.Line,
            },
        };
    }

    private static string Expand(string template, string name, string user, string host) =>
        InventoryDocumentReader.Placeholder().Replace(template, m => m.Groups[1].Value switch
        {
            "name" => name,
            "user" => user,
            _ => host,
        });
}
