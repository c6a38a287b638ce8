namespace WpBackup.Sandbox;

/// <summary>Known values the site builder puts into every demo site, for assertions.</summary>
public static class DemoContent
{
    /// <summary>The title of the first post the builder inserts (4-byte emoji, accents, CJK).</summary>
    public const string UnicodeTitle = "Hello 🌍 — Ünïcödé ✓ 日本語 🎉";

    /// <summary>Post meta key whose value is a serialized PHP array, on every inserted post.</summary>
    public const string SerializedMetaKey = "_wpbackup_demo";

    /// <summary>The symlink the builder creates in wp-content/uploads, pointing at the newest month folder.</summary>
    public const string UploadsLinkName = "latest";
}
