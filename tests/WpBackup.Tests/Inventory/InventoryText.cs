using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Inventory;

namespace WpBackup.Tests.Inventory;

/// <summary>Inventory text parsed as if it were a file, with an empty ssh_config so the machine's own does not leak in.</summary>
internal static class InventoryText
{
    public const string FakePath = "/etc/wpbackup-tests/inventory.yml";

    public static SshConfig NoSshConfig { get; } = new(null, null, "/home/tester", "tester");

    public static SiteInventory Parse(string yaml) => SiteInventory.Parse(yaml, FakePath, NoSshConfig);

    public static InventoryException Fails(string yaml) => Assert.Throws<InventoryException>(() => Parse(yaml));

    /// <summary>The YAML block under "## A complete example" in docs/inventory.md.</summary>
    public static string DocsExample() => YamlBlock(Path.Combine("docs", "inventory.md"), "## A complete example");

    /// <summary>The first YAML block under <paramref name="heading"/> in a Markdown file of the repository.</summary>
    public static string YamlBlock(string file, string heading)
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), file));
        var section = doc[doc.IndexOf(heading, StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WpBackup.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("WpBackup.sln not found above the test folder");
    }
}
