namespace WpBackup.Core.Sites;

/// <summary>DB_HOST split the way WordPress splits it: host, optional port, optional Unix socket.</summary>
/// <param name="Host">Name or address; an IPv6 address without brackets.</param>
public readonly record struct DatabaseHost(string Host, int? Port, string? Socket, bool IsIPv6);
