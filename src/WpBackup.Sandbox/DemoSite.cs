namespace WpBackup.Sandbox;

/// <summary>A WordPress site built by <see cref="WordPressSiteBuilder"/>: files in <see cref="Root"/>, data in <see cref="Server"/>.</summary>
public sealed record DemoSite(
    string Root,
    string DatabaseName,
    string User,
    string Password,
    string TablePrefix,
    MariaDbServer Server)
{
    public required string HostName { get; init; }
    public required string SiteUrl { get; init; }
    public required string AdminUser { get; init; }
    public required string AdminPassword { get; init; }
    public required string WordPressVersion { get; init; }

    /// <summary>Posts the builder inserted (WordPress's own "Hello world!" comes on top).</summary>
    public required int PostCount { get; init; }

    public required int UploadsFileCount { get; init; }
    public required long UploadsBytes { get; init; }

    public string ConfigPath => Path.Combine(Root, "wp-config.php");
    public string UploadsDir => Path.Combine(Root, "wp-content", "uploads");

    /// <summary>DB_HOST as written in wp-config.php.</summary>
    public string DatabaseHost => $"127.0.0.1:{Server.Port}";

    /// <summary>Never prints the passwords (a record's default ToString would).</summary>
    public override string ToString() => $"DemoSite {HostName} at {Root} (database {DatabaseName} on {DatabaseHost})";
}
