namespace WpBackup.Tests.Support;

/// <summary>A WordPress-shaped folder (no database) for tests of discovery and file handling.</summary>
public static class MiniSite
{
    public const string LiteralConfig = "<?php\ndefine('DB_NAME', 'mini');\ndefine('DB_USER', 'mini');\ndefine('DB_PASSWORD', 'p@ss');\ndefine('DB_HOST', '127.0.0.1:3307');\n$table_prefix = 'wp_';\n";

    public static string Create(string root, string? config = LiteralConfig, string version = "6.1.9")
    {
        Directory.CreateDirectory(Path.Combine(root, "wp-includes"));
        Directory.CreateDirectory(Path.Combine(root, "wp-content", "uploads"));
        Directory.CreateDirectory(Path.Combine(root, "wp-admin"));
        File.WriteAllText(Path.Combine(root, "wp-includes", "version.php"), $"<?php\n$wp_version = '{version}';\n");
        File.WriteAllText(Path.Combine(root, "index.php"), "<?php require __DIR__ . '/wp-blog-header.php';\n");
        File.WriteAllText(Path.Combine(root, "wp-content", "uploads", "a.txt"), "hello");
        if (config is not null)
            File.WriteAllText(Path.Combine(root, "wp-config.php"), config);
        return root;
    }
}
