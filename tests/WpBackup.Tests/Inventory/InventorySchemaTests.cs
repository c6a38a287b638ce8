using WpBackup.Core.Inventory;

namespace WpBackup.Tests.Inventory;

/// <summary>The inventory schema: the documented example, how levels combine, and every kind of mistake.</summary>
public sealed class InventorySchemaTests
{
    private static InventorySite Site(SiteInventory inventory, string name) => inventory.Find(name) ?? throw new Xunit.Sdk.XunitException($"no site {name}");

    [Fact]
    public void The_complete_example_of_the_documentation_parses_to_what_its_table_says()
    {
        var inventory = InventoryText.Parse(InventoryText.DocsExample());
        Assert.Equal(["example.com", "shop.example.com", "alice-blog", "intranet"], inventory.Sites.Select(s => s.Name));
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var example = Site(inventory, "example.com");
        Assert.Equal("web1", example.Host);
        Assert.Equal("web1.example.net", example.Ssh!.HostName);
        Assert.Equal("deploy", example.Ssh.UserName);
        Assert.Equal(22, example.Ssh.Port);
        Assert.Equal([Path.Combine(home, ".ssh", "wpbackup_ed25519")], example.Ssh.KeyFiles);
        Assert.Equal(TimeSpan.FromSeconds(20), example.Ssh.ConnectTimeout);
        Assert.Equal("/var/www/example.com/htdocs", example.Root);
        Assert.Null(example.ConfigPath);
        Assert.Equal(["production", "customer-a"], example.Tags);
        Assert.Equal("/srv/backups/wordpress", example.Settings.Destination);
        Assert.Equal(6, example.Settings.CompressionLevel);
        Assert.Equal(4, example.Settings.ThrottleLimit);
        Assert.Equal(["*.log"], example.Settings.Exclude);
        Assert.Equal((7, 4, 12), (example.Settings.Retention!.KeepDaily, example.Settings.Retention.KeepWeekly, example.Settings.Retention.KeepMonthly));
        Assert.Equal(berlin, example.Settings.Retention.TimeZone);
        Assert.Equal(InventoryText.FakePath, example.Settings.InventoryPath);
        Assert.Equal(example.Line, example.Settings.InventoryLine);

        var shop = Site(inventory, "shop.example.com");
        Assert.Equal("web2", shop.Ssh!.ComputerName);
        Assert.Equal("backup", shop.Ssh.UserName);
        Assert.Equal("/etc/wordpress/config-shop.example.com.php", shop.ConfigPath);
        Assert.Equal(new SecretReference(SecretSource.SecretManagement, "shop-db"), shop.Database.Password with { InventoryPath = "", Line = 0, Column = 0, KeyPath = "" });
        Assert.Equal("sites[1].database.password", shop.Database.Password!.KeyPath);
        Assert.Equal((10, 30), (shop.Settings.Retention!.KeepLast, shop.Settings.Retention.KeepDaily));
        Assert.Null(shop.Settings.Retention.KeepWeekly); // a retention block is taken whole
        Assert.Equal(TimeZoneInfo.Local, shop.Settings.Retention.TimeZone);
        Assert.Equal(["*.log", "wp-content/uploads/wc-logs"], shop.Settings.Exclude);

        var alice = Site(inventory, "alice-blog");
        Assert.Equal("ssh.shared-host.example", alice.Ssh!.HostName);
        Assert.Equal(2222, alice.Ssh.Port);          // the host's preset
        Assert.Equal("alice", alice.Ssh.UserName);    // the site's own ssh beats defaults
        Assert.Equal("/home/alice/www", alice.Root);  // the preset's root pattern with {user}
        Assert.Equal("localhost", alice.Database.Host);
        Assert.Equal(("alice_wp", "alice_wp"), (alice.Database.Name, alice.Database.User));
        Assert.Equal(SecretSource.Environment, alice.Database.Password!.Source);
        Assert.Equal(["customer-b", "shared"], alice.Tags);
        Assert.Equal(["*.log", "wp-content/cache-extra"], alice.Settings.Exclude);
        Assert.Equal(7, alice.Settings.Retention!.KeepDaily);

        var intranet = Site(inventory, "intranet");
        Assert.True(intranet.IsLocal);
        Assert.Null(intranet.Host);
        Assert.Equal("/var/www/intranet", intranet.Root);
        Assert.Equal("/mnt/nas/backups", intranet.Settings.Destination);
        Assert.Equal(12, intranet.Settings.CompressionLevel);
    }

    [Fact]
    public void The_example_of_the_README_parses()
    {
        var inventory = InventoryText.Parse(InventoryText.YamlBlock("README.md", "## Inventory"));
        Assert.Equal(["example.com", "intranet"], inventory.Sites.Select(s => s.Name));
        Assert.Equal("deploy", inventory.Sites[0].Ssh!.UserName);
        Assert.Equal(SecretSource.SecretManagement, inventory.Sites[1].Database.Password!.Source);
        Assert.Equal(12, inventory.Sites[1].Settings.Retention!.KeepMonthly);
    }

    [Fact]
    public void A_site_preset_fills_in_what_the_site_leaves_out_and_the_site_wins()
    {
        var inventory = InventoryText.Parse("""
            presets:
              shared:
                root: /home/{user}/sites/{name}
                configPath: ../wp-config-{name}.php
                database: {host: "localhost:/run/mysqld/mysqld.sock", name: from_preset}
                ssh: {user: preset-user, port: 2200}
                destination: /backups/shared
                compressionLevel: 9
                tags: [shared]
            hosts:
              box: {user: host-user, port: 22}
            sites:
              - name: a.example
                host: box
                preset: shared
                database: {name: own_db}
              - name: b.example
                host: box
                preset: shared
                root: /srv/b
                compressionLevel: 3
            """);
        var a = Site(inventory, "a.example");
        Assert.Equal("preset-user", a.Ssh!.UserName);      // a site's preset beats the host's own keys
        Assert.Equal(2200, a.Ssh.Port);
        Assert.Equal("/home/preset-user/sites/a.example", a.Root);
        Assert.Equal("/home/preset-user/sites/a.example/../wp-config-a.example.php", a.ConfigPath);
        Assert.Equal("own_db", a.Database.Name);
        Assert.Equal("localhost:/run/mysqld/mysqld.sock", a.Database.Host);
        Assert.Equal("/backups/shared", a.Settings.Destination);
        Assert.Equal(9, a.Settings.CompressionLevel);
        Assert.Equal("shared", a.Settings.Preset);
        Assert.Equal(["shared"], a.Tags);
        var b = Site(inventory, "b.example");
        Assert.Equal("/srv/b", b.Root);
        Assert.Equal(3, b.Settings.CompressionLevel);
        Assert.Null(b.Settings.Retention);
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_are_allowed()
    {
        var inventory = InventoryText.Parse("""
            defaults:
              retention: &policy {keepLast: 3}
            sites:
              - &base
                name: one
                root: /srv/one
                exclude: [cache]
                retention: *policy
              - <<: *base
                name: two
                root: /srv/two
            """);
        var two = Site(inventory, "two");
        Assert.Equal("/srv/two", two.Root);
        Assert.Equal(["cache"], two.Settings.Exclude);
        Assert.Equal(3, two.Settings.Retention!.KeepLast);
    }

    [Fact]
    public void An_empty_file_is_an_empty_inventory()
    {
        Assert.Empty(InventoryText.Parse("# nothing yet\n").Sites);
        Assert.Empty(InventoryText.Parse("").Sites);
        Assert.Empty(InventoryText.Parse("sites:\nhosts:\n").Sites);
    }

    [Fact]
    public void Name_and_tag_selection()
    {
        var inventory = InventoryText.Parse("""
            sites:
              - {name: shop.example, root: /a, tags: [production, eu]}
              - {name: blog.example, root: /b, tags: [Staging]}
              - {name: shop.test, root: /c}
            """);
        string[] Names(IEnumerable<InventorySite> sites) => sites.Select(s => s.Name).ToArray();
        Assert.Equal(["shop.example", "shop.test"], Names(inventory.Select(["shop.*"], null)));
        Assert.Equal(["blog.example"], Names(inventory.Select(null, ["staging"])));
        Assert.Equal(["shop.example", "blog.example"], Names(inventory.Select(null, ["eu", "staging"])));
        Assert.Equal(["shop.example"], Names(inventory.Select(["shop*"], ["production"])));
        var missing = new List<string>();
        Assert.Empty(Names(inventory.Select(["nope.example", "nope*"], null, missing.Add)));
        Assert.Equal(["nope.example"], missing);
    }

    [Theory]
    // unknown keys, top level and nested: a typo never switches a setting off silently
    [InlineData("site:\n  - {name: a, root: /a}\n", InventoryErrors.UnknownKey, 1, 1, "site", "Did you mean 'sites'?")]
    [InlineData("defaults:\n  retention:\n    keepDialy: 7\n", InventoryErrors.UnknownKey, 3, 5, "defaults.retention.keepDialy", "Did you mean 'keepDaily'?")]
    [InlineData("sites:\n  - name: a\n    root: /a\n    database:\n      pasword: {env: X}\n", InventoryErrors.UnknownKey, 5, 7, "sites[0].database.pasword", "the database of site 'a'")]
    [InlineData("hosts:\n  web1:\n    usr: deploy\n", InventoryErrors.UnknownKey, 3, 5, "hosts.web1.usr", "host 'web1'")]
    [InlineData("presets:\n  p:\n    preset: q\n", InventoryErrors.UnknownKey, 3, 5, "presets.p.preset", "preset 'p'")]
    // wrong types
    [InlineData("hosts:\n  web1: {port: twenty-two}\n", InventoryErrors.WrongType, 2, 16, "hosts.web1.port", "whole number")]
    [InlineData("defaults:\n  compressionLevel: \"3\"\n", InventoryErrors.WrongType, 2, 21, "defaults.compressionLevel", "whole number")]
    [InlineData("sites:\n  - name: a\n    root: /a\n    exclude: {cache: true}\n", InventoryErrors.WrongType, 4, 14, "sites[0].exclude", "text or a list of text")]
    [InlineData("sites:\n  name: a\n", InventoryErrors.WrongType, 2, 3, "sites", "a list of sites")]
    [InlineData("sites:\n  - name: [a, b]\n    root: /a\n", InventoryErrors.WrongType, 2, 11, "sites[0].name", "must be text")]
    [InlineData("- a\n- b\n", InventoryErrors.WrongType, 1, 1, "", "must be a mapping")]
    // values out of range
    [InlineData("defaults:\n  compressionLevel: 25\n", InventoryErrors.InvalidValue, 2, 21, "defaults.compressionLevel", "from 1 to 19")]
    [InlineData("defaults:\n  retention: {keepDaily: 0}\n", InventoryErrors.InvalidValue, 2, 26, "defaults.retention.keepDaily", "from 1 to")]
    [InlineData("defaults:\n  retention: {keepWithin: soon}\n", InventoryErrors.InvalidValue, 2, 27, "defaults.retention.keepWithin", "positive span")]
    [InlineData("defaults:\n  retention: {keepLast: 1, timeZone: Mars/Olympus}\n", InventoryErrors.InvalidValue, 2, 38, "defaults.retention.timeZone", "Unknown time zone")]
    [InlineData("sites:\n  - {name: 'bad name', root: /a}\n", InventoryErrors.InvalidValue, 2, 12, "sites[0].name", "letters, digits")]
    [InlineData("sites:\n  - {name: a, root: '/srv/{site}'}\n", InventoryErrors.InvalidValue, 2, 21, "sites[0].root", "{name}")]
    [InlineData("sites:\n  - {name: a, root: /a, database: {host: 'db:notaport'}}\n", InventoryErrors.InvalidValue, 2, 42, "sites[0].database.host", "")]
    [InlineData("hosts: {h: {}}\nsites:\n  - {name: a, host: h, root: relative/path}\n", InventoryErrors.InvalidValue, 3, 30, "sites[0].root", "absolute path")]
    // missing keys
    [InlineData("sites:\n  - root: /a\n", InventoryErrors.MissingKey, 2, 5, "sites[0].name", "needs a unique name")]
    [InlineData("sites:\n  - name: a\n", InventoryErrors.MissingKey, 2, 5, "sites[0].root", "has no 'root'")]
    [InlineData("defaults:\n  retention: {timeZone: UTC}\n", InventoryErrors.MissingKey, 2, 14, "defaults.retention", "keeps nothing")]
    [InlineData("sites:\n  - {name: a, root: /a, database: {password: {}}}\n", InventoryErrors.MissingKey, 2, 46, "sites[0].database.password", "exactly one of")]
    // references
    [InlineData("hosts: {web1: {}}\nsites:\n  - {name: a, host: web2, root: /a}\n", InventoryErrors.UnknownHost, 3, 21, "sites[0].host", "Defined hosts: web1")]
    [InlineData("sites:\n  - {name: a, preset: shared, root: /a}\n", InventoryErrors.UnknownPreset, 2, 23, "sites[0].preset", "'shared' is not defined")]
    [InlineData("hosts:\n  web1: {preset: nope}\n", InventoryErrors.UnknownPreset, 2, 18, "hosts.web1.preset", "'nope' is not defined")]
    // duplicates
    [InlineData("sites:\n  - {name: a, root: /a}\n  - {name: A, root: /b}\n", InventoryErrors.DuplicateSite, 3, 12, "sites[1].name", "already defined on line 2")]
    [InlineData("sites:\n  - name: a\n    root: /a\n    root: /b\n", InventoryErrors.DuplicateKey, 4, 5, null, "appears twice")]
    // YAML itself
    [InlineData("sites: [ {name: a\n", InventoryErrors.Syntax, 0, 0, null, "not valid YAML")]
    [InlineData("sites:\n  - name: a\n    root: *nowhere\n", InventoryErrors.Syntax, 3, 11, null, "no anchor")]
    [InlineData("defaults: {compressionLevel: !!int 3}\n", InventoryErrors.Syntax, 1, 30, null, "tags")]
    [InlineData("sites: []\n---\nsites: []\n", InventoryErrors.Syntax, 2, 1, null, "one YAML document")]
    [InlineData("a: &a [*a]\n", InventoryErrors.TooComplex, 1, 8, null, "inside the node")]
    public void Every_mistake_is_an_error_naming_the_file_the_line_and_the_key(string yaml, string errorId, int line, int column, string? key, string words)
    {
        var e = InventoryText.Fails(yaml);
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(InventoryText.FakePath, e.Path);
        if (line > 0)
        {
            Assert.Equal(line, e.Line);
            Assert.Equal(column, e.Column);
            Assert.StartsWith($"{InventoryText.FakePath}:{line}:{column}: ", e.Message);
        }
        else
            Assert.StartsWith($"{InventoryText.FakePath}:", e.Message);
        if (key is not null)
            Assert.Equal(key, e.Key);
        Assert.Contains(words, e.Message);
    }

    [Theory]
    [InlineData("sites:\n  - name: a\n    root: /a\n    database:\n      password: hunter2\n", "sites[0].database.password", 5, "wp-config.php")]
    [InlineData("hosts:\n  web1:\n    password: 'hunter2'\n", "hosts.web1.password", 3, "{secret: NAME}")]
    [InlineData("defaults:\n  ssh:\n    keyPassphrase: \"correct horse\"\n", "defaults.ssh.keyPassphrase", 3, "{env: VARIABLE}")]
    [InlineData("presets:\n  p:\n    database: {password: 12345}\n", "presets.p.database.password", 3, "never kept in the inventory")]
    public void A_password_written_in_the_inventory_is_refused_and_the_error_says_so(string yaml, string key, int line, string words)
    {
        var e = InventoryText.Fails(yaml);
        Assert.Equal(InventoryErrors.LiteralPassword, e.ErrorId);
        Assert.Equal(key, e.Key);
        Assert.Equal(line, e.Line);
        Assert.Contains("is written as text", e.Message);
        Assert.Contains(words, e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.DoesNotContain("correct horse", e.Message);
    }

    [Fact]
    public void A_password_is_refused_even_in_a_site_nothing_else_is_wrong_with()
    {
        var e = InventoryText.Fails("sites:\n  - {name: ok, root: /ok}\n  - {name: b, root: /b, database: {user: wp, password: s3cret}}\n");
        Assert.Equal(InventoryErrors.LiteralPassword, e.ErrorId);
        Assert.DoesNotContain("s3cret", e.Message);
    }
}
