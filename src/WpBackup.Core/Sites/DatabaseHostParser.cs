using WpBackup.Core.Errors;

namespace WpBackup.Core.Sites;

/// <summary>
/// Splits a DB_HOST value as WordPress's wpdb::parse_db_host does: "host", "host:port",
/// "host:/socket/path", "host:port:/socket/path", "[ipv6]:port", ":/socket/path".
/// </summary>
public static class DatabaseHostParser
{
    public const string InvalidHostErrorId = "InvalidDatabaseHost";

    /// <summary>
    /// Unlike WordPress, which silently ignores what its patterns do not match (connecting to the
    /// default port), anything left over is an error here. An empty host is "localhost", as for
    /// the MySQL client library; a port of 0 means no port, as in WordPress.
    /// </summary>
    /// <exception cref="WpConfigException">The port is not a number from 1 to 65535, or text is left over.</exception>
    public static DatabaseHost Parse(string dbHost)
    {
        ArgumentNullException.ThrowIfNull(dbHost);
        string host = dbHost;
        string? socket = null;

        // The socket is peeled off first, from the first ":/" on.
        int socketAt = host.IndexOf(":/", StringComparison.Ordinal);
        if (socketAt >= 0)
        {
            socket = host[(socketAt + 1)..];
            host = host[..socketAt];
        }

        // Two or more colons can only be an IPv6 address, optionally as "[address]:port".
        bool isIPv6 = host.Count(c => c == ':') > 1;
        int i = isIPv6 && host.StartsWith('[') ? 1 : 0;
        int nameStart = i;
        while (i < host.Length && (isIPv6 ? (char.IsAsciiHexDigit(host[i]) || host[i] == ':') : host[i] is not (':' or '/')))
        {
            i++;
        }
        string name = host[nameStart..i];
        if (isIPv6 && name.Length == 0)
        {
            throw Invalid(dbHost, $"'{host}' is not an IPv6 address");
        }
        if (isIPv6 && i < host.Length && host[i] == ']')
        {
            i++;
        }

        int? port = null;
        if (i < host.Length && host[i] == ':')
        {
            port = ParsePort(dbHost, host[(i + 1)..]);
            i = host.Length;
        }
        if (i < host.Length)
        {
            throw Invalid(dbHost, $"'{host[i..]}' is neither a port nor a socket path");
        }
        return new DatabaseHost(name.Length == 0 ? "localhost" : name, port, socket, isIPv6);
    }

    private static int? ParsePort(string dbHost, string digits)
    {
        string significant = digits.TrimStart('0');
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || significant.Length > 5
            || (significant.Length > 0 && int.Parse(significant) > 65535))
        {
            throw Invalid(dbHost, $"the port '{digits}' is not a number from 1 to 65535");
        }
        return significant.Length == 0 ? null : int.Parse(significant);
    }

    private static WpConfigException Invalid(string dbHost, string problem) => new(
        InvalidHostErrorId,
        $"DB_HOST '{dbHost}' is not valid: {problem}. WordPress accepts host, host:port, host:/socket/path and [IPv6]:port.");
}
