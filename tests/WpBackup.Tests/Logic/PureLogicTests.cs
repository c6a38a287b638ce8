using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Core.Database;
using WpBackup.Core.Sites;

namespace WpBackup.Tests.Logic;

public sealed class ExcludeFilterTests
{
    [Theory]
    [InlineData("wp-content/cache", true)]
    [InlineData("wp-content/cache/page/index.html", false)] // a folder's children are never reached once it is skipped
    [InlineData("wp-content/uploads/backwpup-abc123-backups", true)]
    [InlineData("wp-content/uploads/2026/cache", false)]
    [InlineData("wp-content/updraft", true)]
    [InlineData("wp-content/themes/x/cache", false)]
    public void Defaults_skip_caches_and_backup_plugin_folders(string path, bool excluded) =>
        Assert.Equal(excluded, new ExcludeFilter(ExcludeFilter.Defaults).IsExcluded(path));

    [Theory]
    [InlineData("*.log", "debug.log", true)]
    [InlineData("*.log", "wp-content/debug.log", true)]
    [InlineData("wp-content/*.log", "wp-content/debug.log", true)]
    [InlineData("wp-content/*.log", "wp-content/sub/debug.log", false)]
    [InlineData("wp-content/**/*.log", "wp-content/sub/x/debug.log", true)]
    [InlineData("node_modules", "wp-content/themes/t/node_modules", true)]
    [InlineData("/wp-content/cache/", "wp-content/cache", true)]
    [InlineData("?.txt", "a.txt", true)]
    [InlineData("?.txt", "ab.txt", false)]
    public void Patterns_match_names_anywhere_or_whole_paths(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, new ExcludeFilter([pattern]).IsExcluded(path));
}

public sealed class SiteNamerTests
{
    [Theory]
    [InlineData("/var/www/example.com/htdocs", "example.com")]
    [InlineData("/home/bob/public_html", "bob")]
    [InlineData("/srv/Shop.Example.ORG/www/wordpress", "shop.example.org")]
    [InlineData("/var/www/html", "html")]
    [InlineData("/var/www/my site (old)", "my-site--old")]
    [InlineData("/htdocs", "htdocs")]
    [InlineData("/", "site")]
    public void Names_come_from_the_domain_folder(string root, string name) => Assert.Equal(name, SiteNamer.Derive(root));

    [Fact]
    public void Names_are_unique_within_a_run()
    {
        var namer = new SiteNamer();
        Assert.Equal(["a.example", "a.example-2", "a.example-3", "b.example"],
            new[] { "/x/a.example/htdocs", "/y/a.example/htdocs", "/z/a.example", "/x/b.example" }.Select(namer.NameFor).ToArray());
    }
}

public sealed class OptionFileTests
{
    [Fact]
    public void Passwords_with_quotes_backslashes_and_newlines_are_escaped()
    {
        var settings = new DatabaseSettings { User = "u", Name = "d", Host = "127.0.0.1", Port = 3307, Password = "a\"b\\c d\ne'f" };
        var text = MySqlOptionFile.Render(settings);
        Assert.Contains("password=\"a\\\"b\\\\c d\\ne'f\"\n", text);
        Assert.Contains("port=\"3307\"\n", text);
        Assert.Contains("default-character-set=\"utf8mb4\"\n", text);
        Assert.DoesNotContain("socket", text);
    }

    [Fact]
    public void Overrides_clear_exactly_the_constants_they_supply()
    {
        var settings = new DatabaseSettings
        {
            Unresolved = [new("DB_PASSWORD", "DB_PASSWORD is computed"), new("DB_HOST", "DB_HOST is computed")],
        };
        var withCredential = new DatabaseOverrides(User: "u", Password: "p").ApplyTo(settings);
        Assert.Equal(["DB_HOST"], withCredential.Unresolved.Select(u => u.Constant));
        var all = new DatabaseOverrides(Host: "db.internal:3307", User: "u", Password: "p").ApplyTo(settings);
        Assert.True(all.IsResolved);
        Assert.Equal(("db.internal", 3307), (all.Host, all.Port));
    }
}
