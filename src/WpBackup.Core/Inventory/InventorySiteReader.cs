using System.Net;
using WpBackup.Core.Errors;
using WpBackup.Core.Hosts;
using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Inventory;

/// <summary>
/// Turns inventory sites into <see cref="WpSite"/>s by reading each one's wp-config.php where
/// it lives (over the server's one shared SSH connection), then applying the inventory's
/// database settings. A server that cannot be reached fails each of its sites with the same
/// error, without trying it again.
/// </summary>
public sealed class InventorySiteReader(ISecretResolver secrets, Action<string> warn, Func<SshTarget, ISiteHost>? connect = null)
{
    private readonly Func<SshTarget, ISiteHost> _connect = connect ?? (target => SshSessions.Get(target, warn));
    private readonly Dictionary<string, WpBackupException> _unreachable = new(StringComparer.Ordinal);
    private readonly SiteFinder _finder = new();

    /// <exception cref="WpBackupException">The site's secret, server or wp-config.php cannot be had; the message names the site.</exception>
    public WpSite Describe(InventorySite entry)
    {
        var overrides = new DatabaseOverrides(entry.Database.Name, entry.Database.Host, entry.Database.User,
            entry.Database.Password is { } password ? secrets.Resolve(password) : null);
        var host = Connect(entry);
        WpSite site;
        try
        {
            site = entry.ConfigPath is null ? _finder.Describe(host, entry.Root) : DescribeWithConfig(host, entry);
        }
        catch (WpBackupException e)
        {
            throw new WpBackupException(e.Kind, e.ErrorId, $"Site '{entry.Name}' (inventory line {entry.Line}): {e.Message}", e) { Target = entry.Name };
        }
        if (!overrides.IsEmpty)
            site = site.WithDatabase(overrides.ApplyTo(site.Database));
        return site.WithInventory(entry.Name, entry.Tags, entry.Settings.WithS3Credentials(secrets));
    }

    private ISiteHost Connect(InventorySite entry)
    {
        if (entry.Ssh is null)
            return LocalHost.Instance;
        var target = WithSecrets(entry);
        if (_unreachable.TryGetValue(target.ConnectionKey, out var known))
            throw Unreachable(entry, target, known);
        try
        {
            return _connect(target);
        }
        catch (WpBackupException e)
        {
            _unreachable[target.ConnectionKey] = e;
            throw Unreachable(entry, target, e);
        }
    }

    private static WpBackupException Unreachable(InventorySite entry, SshTarget target, WpBackupException e) =>
        new(e.Kind, e.ErrorId, $"Site '{entry.Name}': its host '{entry.Host}' ({target}) cannot be reached: {e.Message}", e) { Target = entry.Name };

    /// <summary>The site's SSH target with its key passphrase and password looked up, when the inventory names them.</summary>
    private SshTarget WithSecrets(InventorySite entry)
    {
        var target = entry.Ssh!;
        if (entry.SshKeyPassphrase is null && entry.SshPassword is null)
            return target;
        return new SshTarget
        {
            ComputerName = target.ComputerName,
            HostName = target.HostName,
            Port = target.Port,
            UserName = target.UserName,
            KeyFiles = target.KeyFiles,
            KeyFilesExplicit = target.KeyFilesExplicit,
            KnownHostsName = target.KnownHostsName,
            TrustHostKey = target.TrustHostKey,
            ConnectTimeout = target.ConnectTimeout,
            KnownHostsFiles = target.KnownHostsFiles,
            KeyPassphrase = entry.SshKeyPassphrase is { } p ? new NetworkCredential("", secrets.Resolve(p)).SecurePassword : null,
            Password = entry.SshPassword is { } s ? new NetworkCredential("", secrets.Resolve(s)).SecurePassword : null,
        };
    }

    /// <summary>A site whose wp-config.php the inventory names (e.g. Debian's /etc/wordpress/config-*.php).</summary>
    private static WpSite DescribeWithConfig(ISiteHost host, InventorySite entry)
    {
        var root = entry.Root.TrimEnd('/');
        var versionFile = host is LocalHost ? Path.Combine(root, "wp-includes", "version.php") : $"{root}/wp-includes/version.php";
        byte[]? version;
        try
        {
            version = host.ReadFile(versionFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SiteNotFoundException("NotWordPress", $"Cannot read '{versionFile}' on {host.ComputerName}: {e.Message}");
        }
        if (version is null)
            throw new SiteNotFoundException("NotWordPress",
                $"'{entry.Root}' on {host.ComputerName} is not a WordPress site: it has no wp-includes/version.php. Check 'root' in the inventory.");
        return new WpSite
        {
            Name = entry.Name,
            Root = entry.Root,
            ConfigPath = entry.ConfigPath!,
            WordPressVersion = WordPressVersion.FromVersionFile(System.Text.Encoding.UTF8.GetString(version)),
            Database = WpConfigReader.Read(host, entry.ConfigPath!),
            ComputerName = host.ComputerName,
            Ssh = (host as SshHost)?.Target,
        };
    }
}
