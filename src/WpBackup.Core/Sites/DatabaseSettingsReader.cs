using WpBackup.Core.Errors;

namespace WpBackup.Core.Sites;

/// <summary>
/// Turns a parsed wp-config.php into <see cref="DatabaseSettings"/>, saying for each constant it
/// could not read why, and which parameter overrides it. The password never enters a message.
/// </summary>
internal static class DatabaseSettingsReader
{
    private const int MaxShownLength = 120;

    public static DatabaseSettings Read(WpConfig config, string configPath)
    {
        var unresolved = new List<UnresolvedSetting>();
        string? Resolve(string constant, string parameter, bool secret = false) =>
            ResolveConstant(config, configPath, constant, parameter, secret, unresolved);

        string? name = Resolve("DB_NAME", "-DatabaseName");
        string? user = Resolve("DB_USER", "-DatabaseCredential");
        string? password = Resolve("DB_PASSWORD", "-DatabaseCredential", secret: true);
        string? hostText = Resolve("DB_HOST", "-DatabaseHost");

        var host = new DatabaseHost("localhost", null, null, false);
        if (hostText is not null)
        {
            try
            {
                host = DatabaseHostParser.Parse(hostText);
            }
            catch (WpConfigException e)
            {
                unresolved.Add(new UnresolvedSetting("DB_HOST", $"{e.Message} Use -DatabaseHost to give the host instead of the one in {configPath}."));
            }
        }

        string? charset = config.GetConstant("DB_CHARSET")?.Literal;
        return new DatabaseSettings
        {
            Host = host.Host,
            Port = host.Port,
            Socket = host.Socket,
            Name = name ?? "",
            User = user ?? "",
            Password = password,
            Charset = string.IsNullOrEmpty(charset) ? "utf8mb4" : charset,
            TablePrefix = config.TablePrefix?.Literal ?? "wp_",
            Unresolved = unresolved,
        };
    }

    /// <returns>The constant's value when it is a literal that PHP certainly defines, else null.</returns>
    private static string? ResolveConstant(
        WpConfig config, string configPath, string constant, string parameter, bool secret, List<UnresolvedSetting> unresolved)
    {
        PhpValue? value = config.GetConstant(constant);
        if (value is { IsLiteral: true, IsConditional: false })
        {
            return value.Literal;
        }

        string fix = $"Use {parameter} to give it.";
        string includes = DescribeIncludes(config);
        if (value is null)
        {
            string note = includes.Length > 0 ? $" (it includes {includes})" : "";
            unresolved.Add(new UnresolvedSetting(constant, $"{constant} is not defined in {configPath}{note}. {fix}"));
            return null;
        }

        string shown = Shorten(secret ? SecretRedactor.Redact(value.Expression) : value.Expression);
        if (value.IsConditional)
        {
            string note = includes.Length > 0 ? $"; the file also includes {includes}, which may set it first" : "";
            unresolved.Add(new UnresolvedSetting(constant, $"{constant} is set only under a condition in {configPath} (to {shown}), so PHP may skip it{note}. {fix}"));
        }
        else
        {
            unresolved.Add(new UnresolvedSetting(constant, $"{constant} is computed: {shown} (in {configPath}). {fix}"));
        }
        return null;
    }

    private static string DescribeIncludes(WpConfig config)
    {
        var all = config.Includes.Concat(config.ComputedIncludes).Select(Shorten).ToList();
        return all.Count <= 3 ? string.Join(", ", all) : $"{string.Join(", ", all.Take(3))} and {all.Count - 3} more";
    }

    /// <summary>PHP source on one line, cut to a length that fits a message.</summary>
    private static string Shorten(string source)
    {
        string text = string.Join(' ', source.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= MaxShownLength ? text : string.Concat(text.AsSpan(0, MaxShownLength - 3), "...");
    }
}
