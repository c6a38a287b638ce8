namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// What ssh_config says about one destination, resolved the way <c>ssh</c> would.
/// </summary>
/// <param name="Alias">The name asked for (what the user typed).</param>
/// <param name="HostName">The host to connect to: <c>HostName</c> with <c>%h</c> expanded, else the alias; lowercased unless it is an IP address.</param>
/// <param name="User">The login user: the override passed to Resolve, else <c>User</c>, else the local user.</param>
/// <param name="Port">The port: the override passed to Resolve, else <c>Port</c>, else 22.</param>
/// <param name="IdentityFiles">The configured <c>IdentityFile</c>s in order, with <c>~</c>, tokens and variables expanded; empty when none is configured (see <see cref="SshConfig.DefaultIdentityFiles"/>).</param>
/// <param name="HostKeyAlias">The configured <c>HostKeyAlias</c>: the name to look up in known_hosts instead of HostName.</param>
/// <param name="UserFromConfig">True when <see cref="User"/> came from the config file rather than an override or the local user.</param>
/// <param name="PortFromConfig">True when <see cref="Port"/> came from the config file.</param>
public sealed record SshConfigEntry(
    string Alias,
    string HostName,
    string User,
    int Port,
    IReadOnlyList<string> IdentityFiles,
    string? HostKeyAlias,
    bool UserFromConfig,
    bool PortFromConfig)
{
    /// <summary>The name to check in known_hosts: HostKeyAlias when set, else HostName.</summary>
    public string KnownHostsName => HostKeyAlias ?? HostName;
}
