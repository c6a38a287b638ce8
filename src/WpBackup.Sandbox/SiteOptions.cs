namespace WpBackup.Sandbox;

/// <summary>How <see cref="WordPressSiteBuilder"/> builds a demo site. Every value has a usable default.</summary>
public sealed record SiteOptions
{
    /// <summary>Host name; the site URL is http://HostName.</summary>
    public string HostName { get; init; } = "demo.example";

    public string Title { get; init; } = "Demo Site";

    /// <summary>Only letters, digits and underscores (WordPress's own rule).</summary>
    public string TablePrefix { get; init; } = "wp_";

    /// <summary>Posts inserted with wp_insert_post, on top of WordPress's own "Hello world!".</summary>
    public int PostCount { get; init; } = 300;

    /// <summary>Approximate total size of generated files under wp-content/uploads (0: none).</summary>
    public long UploadsBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>Share of the uploads, by size, that is random (incompressible) ".jpg" data; the rest is text.</summary>
    public double IncompressibleFraction { get; init; } = 0.5;

    /// <summary>The newest uploads/YYYY/MM folder; uploads spread over the 12 months up to it.</summary>
    public DateOnly UploadsNewestMonth { get; init; } = new(2026, 11, 1);

    /// <summary>Seeds post text and uploads, so two builds with the same seed have the same content.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Null: wp_&lt;host&gt;_&lt;random&gt;, unique per build.</summary>
    public string? DatabaseName { get; init; }

    /// <summary>Null: a unique name derived from the host.</summary>
    public string? DatabaseUser { get; init; }

    /// <summary>Null: a random password containing <see cref="SecretGenerator.AwkwardCharacters"/>.</summary>
    public string? DatabasePassword { get; init; }

    public string AdminUser { get; init; } = "admin";

    /// <summary>Null: random.</summary>
    public string? AdminPassword { get; init; }

    /// <summary>Null: admin@HostName.</summary>
    public string? AdminEmail { get; init; }
}
