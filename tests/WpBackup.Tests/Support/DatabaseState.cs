using WpBackup.Sandbox;

namespace WpBackup.Tests.Support;

/// <summary>A database's logical content: every table with its CHECKSUM TABLE and row count.</summary>
public static class DatabaseState
{
    public static SortedDictionary<string, string> Take(MariaDbServer server, string database)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var tables = server.Query($"SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{database}' ORDER BY TABLE_NAME")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var table in tables)
        {
            var checksum = server.Query($"CHECKSUM TABLE `{database}`.`{table}` EXTENDED").Trim().Split('\t')[^1];
            var rows = server.Query($"SELECT COUNT(*) FROM `{database}`.`{table}`").Trim();
            state[table] = $"{rows} rows, checksum {checksum}";
        }
        return state;
    }
}
