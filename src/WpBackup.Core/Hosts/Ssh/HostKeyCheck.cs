namespace WpBackup.Core.Hosts.Ssh;

/// <summary>What known_hosts says about a host key a server presented.</summary>
public enum HostKeyCheck
{
    /// <summary>This exact key is on file for the host.</summary>
    Known,

    /// <summary>No key of this type is on file for the host.</summary>
    Unknown,

    /// <summary>A different key of the same type is on file for the host: refuse (possible man in the middle).</summary>
    Changed,

    /// <summary>The key is listed with <c>@revoked</c>: refuse.</summary>
    Revoked,
}
