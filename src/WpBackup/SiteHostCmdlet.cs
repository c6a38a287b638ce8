using System.Management.Automation;
using System.Security;
using WpBackup.Core.Archives;
using WpBackup.Core.Hosts;
using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Cmdlets;

/// <summary>
/// Cmdlets that can work on a server over SSH: the connection parameters, resolved through
/// ~/.ssh/config like ssh does, and one shared connection per server.
/// </summary>
public abstract class SiteHostCmdlet : WpBackupCmdlet
{
    /// <summary>Server to work on over SSH: a host name, address or ~/.ssh/config alias. Omit for this machine.</summary>
    [Parameter]
    [Alias("Cn", "HostName")]
    [ValidateNotNullOrEmpty]
    public string? ComputerName { get; set; }

    [Parameter]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UserName { get; set; }

    /// <summary>Private key files (OpenSSH or PEM: ed25519, ecdsa, rsa); default as ssh: ssh_config IdentityFile or ~/.ssh/id_*.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] KeyFile { get; set; } = [];

    [Parameter]
    public SecureString? KeyPassphrase { get; set; }

    /// <summary>SSH password login (user name and password).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>SHA256 fingerprint of a host key to trust and record in known_hosts when the host is not known yet.</summary>
    [Parameter]
    [ValidatePattern("^SHA256:[A-Za-z0-9+/]{43}$")]
    public string? TrustHostKey { get; set; }

    [Parameter]
    [ValidateRange(1, 600)]
    public int ConnectTimeout { get; set; } = 15;

    /// <summary>known_hosts files to check host keys against (and record trusted keys in, the first); default ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] KnownHostsFile { get; set; } = [];

    protected bool IsRemote => ComputerName is not null;

    /// <summary>The host named by -ComputerName (this machine when absent).</summary>
    private protected ISiteHost ResolveHost() => ComputerName is null ? LocalHost.Instance : Connect(ComputerName, UserName, Port);

    /// <summary>Connects to a server with this cmdlet's key, password and trust parameters.</summary>
    private protected SshHost Connect(string computerName, string? userName, int? port)
    {
        var request = new SshConnectionRequest(computerName)
        {
            Port = port,
            UserName = Credential?.UserName ?? userName,
            KeyFiles = KeyFile.Select(FileSystemPath).ToList(),
            KeyPassphrase = KeyPassphrase,
            Password = Credential?.Password,
            TrustHostKey = TrustHostKey,
            ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeout),
            KnownHostsFiles = KnownHostsFile.Select(FileSystemPath).ToList(),
        };
        return SshSessions.Get(SshTarget.Resolve(SshConfig.ForCurrentUser(), request), WriteWarning);
    }
}
