using System.Text;

namespace WpBackup.Sandbox;

/// <summary>
/// Quoting for SQL sent to the sandbox's MariaDB server. String literals use backslash
/// escapes, which is right because this server never runs with NO_BACKSLASH_ESCAPES
/// (it starts with --no-defaults and the built-in sql_mode).
/// </summary>
public static class SqlText
{
    /// <summary>A single-quoted string literal.</summary>
    public static string Literal(string value)
    {
        var sb = new StringBuilder(value.Length + 8).Append('\'');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '\0' => "\\0",
                '\'' => "\\'",
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\x1a' => "\\Z",
                _ => c.ToString(),
            });
        }
        return sb.Append('\'').ToString();
    }

    /// <summary>A backtick-quoted identifier (database, table, column).</summary>
    public static string Identifier(string name)
    {
        if (name.Length == 0 || name.Contains('\0'))
            throw new ArgumentException("Not a valid SQL identifier.", nameof(name));
        return "`" + name.Replace("`", "``") + "`";
    }

    /// <summary>
    /// A database name for GRANT ... ON db.*: like <see cref="Identifier"/>, but with the
    /// GRANT wildcards '_' and '%' escaped so the grant covers exactly this database.
    /// </summary>
    public static string GrantDatabase(string name) =>
        Identifier(name.Replace("\\", "\\\\").Replace("_", "\\_").Replace("%", "\\%"));

    /// <summary>An account name such as 'user'@'127.0.0.1'.</summary>
    public static string Account(string user, string host) => Literal(user) + "@" + Literal(host);
}
