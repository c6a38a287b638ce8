using System.Text.RegularExpressions;

namespace WpBackup.Sandbox;

/// <summary>
/// Builds a real, populated WordPress site from Debian's <c>wordpress</c> package: the files
/// (symlinks dereferenced), a wp-config.php, a database and account on the given server,
/// WordPress's own installer, posts with unicode and serialized meta, and generated uploads.
/// </summary>
public static class WordPressSiteBuilder
{
    /// <summary>Where Debian's wordpress package puts the WordPress tree.</summary>
    public const string DebianWordPressTree = "/usr/share/wordpress";

    public static DemoSite Build(string siteRoot, MariaDbServer server, SiteOptions? options = null)
    {
        var o = options ?? new SiteOptions();
        siteRoot = Path.GetFullPath(siteRoot);
        if (Directory.Exists(siteRoot) && Directory.EnumerateFileSystemEntries(siteRoot).Any())
            throw new IOException($"The site root is not empty: {siteRoot}");
        if (!File.Exists(Path.Combine(DebianWordPressTree, "wp-load.php")))
            throw new FileNotFoundException(
                $"No WordPress tree in {DebianWordPressTree}. Install Debian's wordpress package (.ci/install-deps.sh).");

        var slug = Slug(o.HostName);
        var suffix = SecretGenerator.Suffix();
        var database = o.DatabaseName ?? $"wp_{Trim(slug, 40)}_{suffix}";
        var user = o.DatabaseUser ?? $"u_{Trim(slug, 20)}_{suffix}";
        var password = o.DatabasePassword ?? SecretGenerator.AwkwardPassword();
        var adminPassword = o.AdminPassword ?? SecretGenerator.AwkwardPassword(20);
        var adminEmail = o.AdminEmail ?? $"admin@{o.HostName}";

        TreeCopier.CopyDereferenced(DebianWordPressTree, siteRoot);
        WpConfigWriter.Write(siteRoot, database, user, password, $"127.0.0.1:{server.Port}", o.TablePrefix);

        server.CreateDatabase(database, user, password);
        var installed = WordPressInstaller.Install(siteRoot, o, adminPassword, adminEmail);

        var uploadsDir = Path.Combine(siteRoot, "wp-content", "uploads");
        var uploads = UploadsGenerator.Generate(uploadsDir, o.UploadsBytes, o.Seed, o.UploadsNewestMonth, o.IncompressibleFraction);

        return new DemoSite(siteRoot, database, user, password, o.TablePrefix, server)
        {
            HostName = o.HostName,
            SiteUrl = installed.SiteUrl,
            AdminUser = o.AdminUser,
            AdminPassword = adminPassword,
            WordPressVersion = installed.WordPressVersion,
            PostCount = installed.PostsInserted,
            UploadsFileCount = uploads.FileCount,
            UploadsBytes = uploads.TotalBytes,
        };
    }

    private static string Slug(string hostName) =>
        Regex.Replace(hostName.ToLowerInvariant(), "[^a-z0-9]+", "_").Trim('_') is { Length: > 0 } s ? s : "site";

    private static string Trim(string s, int max) => s.Length <= max ? s : s[..max].TrimEnd('_');
}
