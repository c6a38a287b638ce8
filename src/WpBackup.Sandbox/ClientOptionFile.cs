using System.Text;

namespace WpBackup.Sandbox;

/// <summary>
/// A MariaDB/MySQL client option file ([client] group) holding a password, created 0600, so
/// tools can log in with <c>--defaults-file=PATH</c> (or <c>--defaults-extra-file=PATH</c>,
/// which must be the first option) instead of a password on the command line.
/// </summary>
public static class ClientOptionFile
{
    /// <summary>The [client] group text. Values are double-quoted with \\ and \" escaped.</summary>
    public static string Format(string user, string password, string? host = null, int? port = null, string? socket = null)
    {
        var sb = new StringBuilder("[client]\n");
        sb.Append("user=").Append(Quote(user)).Append('\n');
        sb.Append("password=").Append(Quote(password)).Append('\n');
        if (host is not null) sb.Append("host=").Append(Quote(host)).Append('\n');
        if (port is not null) sb.Append("port=").Append(port.Value).Append('\n');
        if (socket is not null) sb.Append("socket=").Append(Quote(socket)).Append('\n');
        sb.Append("default-character-set=utf8mb4\n");
        return sb.ToString();
    }

    /// <summary>Writes a new option file with mode 0600 (it must not exist yet) and returns its path.</summary>
    public static string Write(string path, string user, string password, string? host = null, int? port = null, string? socket = null)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(new FileStream(path, options), new UTF8Encoding(false));
        writer.Write(Format(user, password, host, port, socket));
        return path;
    }

    /// <summary>An option file for the site's database account, over TCP (127.0.0.1:port) or the server's socket.</summary>
    public static string WriteForSite(string path, DemoSite site, bool useSocket = false) =>
        useSocket
            ? Write(path, site.User, site.Password, host: "localhost", socket: site.Server.SocketPath)
            : Write(path, site.User, site.Password, host: "127.0.0.1", port: site.Server.Port);

    private static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
