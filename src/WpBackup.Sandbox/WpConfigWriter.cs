using System.Text.RegularExpressions;

namespace WpBackup.Sandbox;

/// <summary>
/// Writes wp-config.php from WordPress's stock wp-config-sample.php: database settings, the
/// table prefix and fresh salts, every value escaped for a single-quoted PHP string.
/// </summary>
public static partial class WpConfigWriter
{
    /// <summary>The file mode of the written wp-config.php (readable by the owner's group, as on hardened hosts).</summary>
    public const UnixFileMode ConfigMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    public static void Write(string siteRoot, string databaseName, string user, string password, string host, string tablePrefix)
    {
        if (!TablePrefixRule().IsMatch(tablePrefix))
            throw new ArgumentException("A table prefix may contain only letters, digits and underscores.", nameof(tablePrefix));

        var sample = File.ReadAllText(Path.Combine(siteRoot, "wp-config-sample.php"));
        var text = sample;
        text = SetDefine(text, "DB_NAME", databaseName);
        text = SetDefine(text, "DB_USER", user);
        text = SetDefine(text, "DB_PASSWORD", password);
        text = SetDefine(text, "DB_HOST", host);
        text = ReplaceExactly(text, SaltPlaceholder(), 8, _ => PhpText.SingleQuoted(SecretGenerator.Salt()), "salt placeholders");
        text = ReplaceExactly(text, TablePrefixLine(), 1, _ => $"$table_prefix = {PhpText.SingleQuoted(tablePrefix)};", "$table_prefix");

        var path = Path.Combine(siteRoot, "wp-config.php");
        File.Delete(path); // Debian's own wp-config.php (an indirection to /etc/wordpress) or a previous one
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = ConfigMode; // never briefly world-readable
        using (var writer = new StreamWriter(new FileStream(path, create)))
        {
            writer.Write(text);
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, ConfigMode); // regardless of umask
    }

    private static string SetDefine(string text, string name, string value)
    {
        var pattern = new Regex(@"define\(\s*'" + name + @"'\s*,\s*'[^']*'\s*\);");
        // A MatchEvaluator, not a replacement string: '$' in a password must stay literal.
        return ReplaceExactly(text, pattern, 1, _ => $"define( '{name}', {PhpText.SingleQuoted(value)} );", name);
    }

    private static string ReplaceExactly(string text, Regex pattern, int expected, MatchEvaluator evaluator, string what)
    {
        var found = pattern.Matches(text).Count;
        if (found != expected)
            throw new InvalidOperationException($"wp-config-sample.php has {found} {what} where {expected} were expected; its layout changed.");
        return pattern.Replace(text, evaluator);
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex TablePrefixRule();

    [GeneratedRegex("'put your unique phrase here'")]
    private static partial Regex SaltPlaceholder();

    [GeneratedRegex(@"\$table_prefix\s*=\s*'[^']*'\s*;")]
    private static partial Regex TablePrefixLine();
}
