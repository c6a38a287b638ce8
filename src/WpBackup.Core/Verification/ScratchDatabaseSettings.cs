using WpBackup.Core.Archives;
using WpBackup.Core.Database;
using WpBackup.Core.Errors;
using WpBackup.Core.Hosts;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Verification;

/// <summary>
/// The login for the scratch database: -ScratchDatabaseHost/-ScratchDatabaseCredential on top
/// of the site's own settings — the wp-config.php restored from the archive, else the site's
/// wp-config.php on this machine, else the manifest's server (which then needs a credential).
/// </summary>
internal static class ScratchDatabaseSettings
{
    public static DatabaseSettings Resolve(BackupManifest manifest, string? archivedConfig, DatabaseOverrides overrides, string scratchName)
    {
        var (settings, _) = DatabaseLogin.Resolve(LocalHost.Instance, [archivedConfig, manifest.ConfigPath], manifest.Database, overrides with { Name = scratchName });
        if (!settings.IsResolved)
            throw new WpConfigException("WpConfigComputedValue",
                $"Cannot tell where to create the scratch database for {manifest.Site}/{manifest.Id}: " + string.Join(" ", settings.Unresolved) +
                " For Test-WpBackup -Deep pass -ScratchDatabaseHost and -ScratchDatabaseCredential.");
        if (!settings.HasPassword)
            throw new DatabaseException("ScratchDatabaseCredentialNeeded",
                $"No wp-config.php was found to log in to a database server for the scratch database of {manifest.Site}/{manifest.Id}; pass -ScratchDatabaseCredential (and -ScratchDatabaseHost).");
        return settings;
    }
}
