using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Inventory.Schema;

namespace WpBackup.Core.Inventory;

/// <summary>
/// One site of the inventory with every setting resolved, before anything is connected to or
/// read on its server. <see cref="InventorySiteReader"/> turns it into a <see cref="Sites.WpSite"/>.
/// </summary>
public sealed class InventorySite
{
    public required string Name { get; init; }

    /// <summary>The inventory's name for the host (a key of hosts:); null for this machine.</summary>
    public string? Host { get; init; }

    /// <summary>How to reach the server, resolved through ~/.ssh/config (without secrets); null for this machine.</summary>
    public SshTarget? Ssh { get; init; }

    /// <summary>The WordPress root, placeholders filled in; on a server, the server's path.</summary>
    public required string Root { get; init; }

    /// <summary>wp-config.php when the inventory names it; else found as WordPress does (in the root or one folder up).</summary>
    public string? ConfigPath { get; init; }

    public string[] Tags { get; init; } = [];

    public required SiteSettings Settings { get; init; }

    /// <summary>1-based line of the site's entry in the inventory.</summary>
    public int Line { get; init; }

    internal DatabaseSection Database { get; init; } = new();

    /// <summary>What the SSH connection is resolved from, with the secrets still to be looked up.</summary>
    internal SshConnectionRequest? SshRequest { get; init; }
    internal SecretReference? SshKeyPassphrase { get; init; }
    internal SecretReference? SshPassword { get; init; }

    public bool IsLocal => Ssh is null;

    public override string ToString() => Ssh is null ? $"{Name} ({Root})" : $"{Name} ({Ssh}:{Root})";
}
