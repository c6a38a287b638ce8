namespace WpBackup.Core.Sites;

/// <summary>One WordPress install: where its files are, which WordPress, which database.</summary>
public sealed class WpSite
{
    /// <summary>Domain-like name, unique within one discovery run; names the backup folder.</summary>
    public required string Name { get; init; }

    /// <summary>The WordPress root: the folder holding wp-content and wp-includes.</summary>
    public required string Root { get; init; }

    /// <summary>wp-config.php; in the root or, as WordPress allows, one folder above it.</summary>
    public required string ConfigPath { get; init; }

    public string? WordPressVersion { get; init; }

    public required DatabaseSettings Database { get; init; }

    /// <summary>Where the site lives: "localhost" for this machine, else the server's name as given.</summary>
    public string ComputerName { get; init; } = LocalComputerName;

    /// <summary>How to reach the server the site lives on; null for this machine.</summary>
    public Hosts.Ssh.SshTarget? Ssh { get; init; }

    /// <summary>The site's tags in the inventory (Get-WpSite); empty for sites found otherwise.</summary>
    public string[] Tags { get; init; } = [];

    /// <summary>How the inventory says to back the site up (destination, exclude, retention …); null for sites not from the inventory.</summary>
    public Inventory.SiteSettings? Settings { get; init; }

    public const string LocalComputerName = "localhost";

    public bool IsLocal => Ssh is null;

    public WpSite WithDatabase(DatabaseSettings database) => new()
    {
        Name = Name,
        Root = Root,
        ConfigPath = ConfigPath,
        WordPressVersion = WordPressVersion,
        Database = database,
        ComputerName = ComputerName,
        Ssh = Ssh,
        Tags = Tags,
        Settings = Settings,
    };

    /// <summary>A copy named and set up as the inventory says.</summary>
    internal WpSite WithInventory(string name, string[] tags, Inventory.SiteSettings settings) => new()
    {
        Name = name,
        Root = Root,
        ConfigPath = ConfigPath,
        WordPressVersion = WordPressVersion,
        Database = Database,
        ComputerName = ComputerName,
        Ssh = Ssh,
        Tags = tags,
        Settings = settings,
    };

    public override string ToString() => Name;
}
