using System.Text;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Database;

/// <summary>
/// Renders the [client] option file through which MySQL/MariaDB client tools get the login,
/// so the password never reaches a command line.
/// </summary>
public static class MySqlOptionFile
{
    public static string Render(DatabaseSettings database)
    {
        var text = new StringBuilder("[client]\n");
        Add(text, "user", database.User);
        if (database.Password is not null)
            Add(text, "password", database.Password);
        Add(text, "host", database.Host);
        if (database.Port is int port)
            Add(text, "port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (database.Socket is not null)
            Add(text, "socket", database.Socket);
        // The client's default is utf8mb3; WordPress content holds emoji.
        Add(text, "default-character-set", "utf8mb4");
        return text.ToString();
    }

    private static void Add(StringBuilder text, string key, string value) =>
        text.Append(key).Append("=\"").Append(Escape(value)).Append("\"\n");

    /// <summary>Escapes a value for a double-quoted option-file string (my_getopt rules).</summary>
    internal static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }
}
