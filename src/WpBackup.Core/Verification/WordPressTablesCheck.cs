using System.Globalization;
using WpBackup.Core.Database;

namespace WpBackup.Core.Verification;

/// <summary>
/// Looks at a restored WordPress database: its core tables (with the backup's table prefix)
/// exist and hold rows, and its options give the site's address.
/// </summary>
internal static class WordPressTablesCheck
{
    /// <summary>Tables a working WordPress cannot do without, by name after the prefix.</summary>
    public static readonly string[] CoreTables = ["posts", "options", "users"];

    public static (List<string> Problems, string? SiteUrl, string? Home) Run(ScratchDatabase database, string tablePrefix)
    {
        var problems = new List<string>();
        var tables = database.Query(
                $"SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = {SqlText.Literal(database.Settings.Name)}")
            .ToHashSet(StringComparer.Ordinal);
        if (tables.Count == 0)
            problems.Add($"the restored database has no tables at all");
        foreach (var table in CoreTables.Select(t => tablePrefix + t))
        {
            if (!tables.Contains(table))
                problems.Add($"the restored database has no table '{table}' (table prefix '{tablePrefix}')");
            else if (long.Parse(database.Query($"SELECT COUNT(*) FROM {SqlText.Identifier(table)}").FirstOrDefault() ?? "0", CultureInfo.InvariantCulture) == 0)
                problems.Add($"the table '{table}' of the restored database has no rows");
        }

        var options = tablePrefix + "options";
        if (!tables.Contains(options))
            return (problems, null, null);
        var values = database.Query($"SELECT option_name, option_value FROM {SqlText.Identifier(options)} WHERE option_name IN ('siteurl', 'home')")
            .Select(line => line.Split('\t', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        var siteUrl = values.GetValueOrDefault("siteurl");
        var home = values.GetValueOrDefault("home");
        if (string.IsNullOrEmpty(siteUrl))
            problems.Add($"the table '{options}' holds no siteurl");
        if (string.IsNullOrEmpty(home))
            problems.Add($"the table '{options}' holds no home");
        return (problems, siteUrl, home);
    }
}
