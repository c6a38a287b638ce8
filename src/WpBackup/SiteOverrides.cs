using System.Management.Automation;
using WpBackup.Core.Sites;

namespace WpBackup.Cmdlets;

/// <summary>The -DatabaseName/-DatabaseHost/-DatabaseCredential parameters as engine overrides.</summary>
internal static class SiteOverrides
{
    public static DatabaseOverrides From(string? name, string? host, PSCredential? credential) =>
        new(name, host, credential?.UserName, credential?.GetNetworkCredential().Password);
}
