using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Hosts;

/// <summary>The host a site lives on: this machine, or its server's shared SSH connection.</summary>
public static class SiteHosts
{
    public static ISiteHost For(WpSite site, Action<string> warn) => For(site.Ssh, warn);

    public static ISiteHost For(SshTarget? target, Action<string> warn) =>
        target is null ? LocalHost.Instance : SshSessions.Get(target, warn);
}
