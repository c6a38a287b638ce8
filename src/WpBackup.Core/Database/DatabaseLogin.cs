using WpBackup.Core.Archives;
using WpBackup.Core.Hosts;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Database;

/// <summary>
/// How to log in to a backup's database when restoring it somewhere: the first wp-config.php
/// found among the candidates (its password included), else what the manifest recorded (no
/// password), with the user's overrides on top.
/// </summary>
public static class DatabaseLogin
{
    /// <returns>The settings, and whether they came from a wp-config.php (and so carry its password).</returns>
    public static (DatabaseSettings Settings, bool FromConfig) Resolve(
        ISiteHost host, IEnumerable<string?> configCandidates, ManifestDatabase? recorded, DatabaseOverrides overrides)
    {
        foreach (var path in configCandidates.OfType<string>())
        {
            if (host.ReadFile(path) is { } content)
            {
                var fromConfig = WpConfigParser.Parse(System.Text.Encoding.UTF8.GetString(content)).ToDatabaseSettings(path);
                return (overrides.ApplyTo(fromConfig), true);
            }
        }
        var fromManifest = new DatabaseSettings
        {
            Host = recorded?.Host ?? "localhost",
            Port = recorded?.Port,
            Socket = recorded?.Socket,
            Name = recorded?.Name ?? "",
            User = recorded?.User ?? "",
        };
        return (overrides.ApplyTo(fromManifest), false);
    }
}
