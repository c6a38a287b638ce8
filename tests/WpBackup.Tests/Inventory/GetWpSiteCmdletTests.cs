using WpBackup.Core.Inventory;
using WpBackup.Core.Sites;
using WpBackup.Sandbox;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Inventory;

/// <summary>Get-WpSite through the real PowerShell engine, on WordPress-shaped folders on this machine.</summary>
public sealed class GetWpSiteCmdletTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();
    private readonly string _inventory;

    public GetWpSiteCmdletTests() => _inventory = _temp.Combine("inventory.yml");

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) =>
        values.Append(("inv", _inventory)).ToDictionary(v => v.Item1, v => v.Item2);

    private void WriteInventory(string yaml)
    {
        File.WriteAllText(_inventory, yaml);
        File.SetUnixFileMode(_inventory, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private PipelineResult Get(string arguments = "") => _ps.Run($"Get-WpSite -ConfigPath $inv {arguments}", Vars());

    [Fact]
    public void Get_WpSite_emits_WpSites_read_from_each_wp_config_with_the_inventory_settings_applied()
    {
        MiniSite.Create(_temp.Combine("www", "example.com", "htdocs"));
        MiniSite.Create(_temp.Combine("blog"), config: null, version: "6.5.2");
        Directory.CreateDirectory(_temp.Combine("etc"));
        File.WriteAllText(_temp.Combine("etc", "config-blog.php"), MiniSite.LiteralConfig.Replace("'mini'", "'blog_db'"));
        var variable = "WPB_TEST_" + Guid.NewGuid().ToString("N")[..8];
        WriteInventory($$"""
            # sites on this machine
            defaults:
              destination: ./backups
              exclude: ["*.log"]
              retention: {keepLast: 2}
            sites:
              - name: example
                root: www/example.com/htdocs    # relative to this file
                tags: [production]
                exclude: [wp-content/uploads]
                database:
                  name: other_db
                  host: "db.internal:3310"
                  password: {env: {{variable}}}
              - name: blog
                root: {{_temp.Combine("blog")}}
                configPath: ../etc/config-blog.php
            """);
        _ps.Run($"$env:{variable} = 'from the environment'");

        var sites = Get().ShouldSucceed().All<WpSite>().ToList();

        Assert.Equal(["example", "blog"], sites.Select(s => s.Name));
        var example = sites[0];
        Assert.Equal(_temp.Combine("www", "example.com", "htdocs"), example.Root);
        Assert.Equal(_temp.Combine("www", "example.com", "htdocs", "wp-config.php"), example.ConfigPath);
        Assert.Equal("6.1.9", example.WordPressVersion);
        Assert.Equal("localhost", example.ComputerName);
        Assert.True(example.IsLocal);
        Assert.Equal(("other_db", "db.internal", 3310, "mini"), (example.Database.Name, example.Database.Host, example.Database.Port, example.Database.User));
        Assert.Equal("from the environment", example.Database.Password);
        Assert.Equal(["production"], example.Tags);
        Assert.Equal(_temp.Combine("backups"), example.Settings!.Destination);
        Assert.Equal(["*.log", "wp-content/uploads"], example.Settings.Exclude);
        Assert.Equal(2, example.Settings.Retention!.KeepLast);
        Assert.Equal(_inventory, example.Settings.InventoryPath);

        var blog = sites[1];
        Assert.Equal(_temp.Combine("etc", "config-blog.php"), blog.ConfigPath);
        Assert.Equal("blog_db", blog.Database.Name);
        Assert.Equal("p@ss", blog.Database.Password);
        Assert.Equal("6.5.2", blog.WordPressVersion);
        Assert.Empty(blog.Tags);

        // the same objects as Find-WpSite's: the password is no property and is not serialized
        var clixml = _ps.Run("[System.Management.Automation.PSSerializer]::Serialize((Get-WpSite -ConfigPath $inv), 5)", Vars()).ShouldSucceed().Output[0].ToString();
        Assert.Contains("other_db", clixml);
        Assert.DoesNotContain("from the environment", clixml);
        Assert.DoesNotContain("p@ss", clixml);
    }

    [Fact]
    public void Name_and_Tag_choose_sites_and_a_name_not_in_the_inventory_is_an_error()
    {
        foreach (var name in new[] { "shop.example", "shop.test", "blog.example" })
            MiniSite.Create(_temp.Combine(name));
        WriteInventory($"""
            sites:
              - {"{"}name: shop.example, root: {_temp.Combine("shop.example")}, tags: [production, eu]{"}"}
              - {"{"}name: shop.test, root: {_temp.Combine("shop.test")}, tags: [staging]{"}"}
              - {"{"}name: blog.example, root: {_temp.Combine("blog.example")}, tags: [production]{"}"}
            """);
        string[] Names(PipelineResult r) => r.ShouldSucceed().All<WpSite>().Select(s => s.Name).ToArray();

        Assert.Equal(["shop.example", "shop.test"], Names(Get("-Name shop.*")));
        Assert.Equal(["shop.example", "blog.example"], Names(Get("-Tag PRODUCTION")));
        Assert.Equal(["shop.example"], Names(Get("shop* -Tag production")));
        Assert.Equal(["blog.example"], Names(_ps.Run("'blog.example' | Get-WpSite -ConfigPath $inv", Vars())));

        var result = Get("-Name nope.example, shop.test");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("SiteNotInInventory", error.FullyQualifiedErrorId);
        Assert.Contains("nope.example", error.Exception.Message);
        Assert.Equal("shop.test", result.Single<WpSite>().Name);
    }

    [Fact]
    public void A_site_whose_server_cannot_be_reached_is_an_error_naming_site_and_host_and_the_others_still_come()
    {
        MiniSite.Create(_temp.Combine("local.example"));
        var port = FreePort.Next();
        WriteInventory($"""
            hosts:
              deadhost:
                hostName: 127.0.0.1
                port: {port}
                user: nobody
                connectTimeout: 5
                knownHostsFile: {_temp.Combine("known_hosts")}
            sites:
              - {"{"}name: one.example, host: deadhost, root: /var/www/one{"}"}
              - {"{"}name: local.example, root: {_temp.Combine("local.example")}{"}"}
              - {"{"}name: two.example, host: deadhost, root: /var/www/two{"}"}
            """);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Get();
        Assert.Equal("local.example", result.Single<WpSite>().Name);
        Assert.Equal(2, result.Errors.Count);
        foreach (var (error, site) in result.Errors.Zip(["one.example", "two.example"]))
        {
            Assert.Contains($"Site '{site}'", error.Exception.Message);
            Assert.Contains("'deadhost'", error.Exception.Message);
            Assert.Contains($"127.0.0.1:{port}", error.Exception.Message);
            Assert.Equal(site, error.TargetObject);
            Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        }
        Assert.Equal(result.Errors[0].FullyQualifiedErrorId, result.Errors[1].FullyQualifiedErrorId);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_wrong_inventory_is_a_terminating_error_naming_file_line_and_key()
    {
        WriteInventory("defaults:\n  retention:\n    keepDialy: 7\nsites: []\n");
        var result = Get();
        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InventoryUnknownKey", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ParserError, error.CategoryInfo.Category);
        Assert.Contains($"{_inventory}:3:5: unknown key 'keepDialy'", error.Exception.Message);
        var exception = Assert.IsType<InventoryException>(error.Exception);
        Assert.Equal(("defaults.retention.keepDialy", 3), (exception.Key, exception.Line));
    }

    [Fact]
    public void Secrets_come_from_SecretManagement_when_it_is_there_and_its_absence_is_a_clear_error()
    {
        MiniSite.Create(_temp.Combine("vault.example"));
        MiniSite.Create(_temp.Combine("plain.example"));
        var unset = "WPB_UNSET_" + Guid.NewGuid().ToString("N")[..8];
        var fromEnvironment = $"{{env: {unset}}}";
        WriteInventory($$"""
            sites:
              - name: vault.example
                root: {{_temp.Combine("vault.example")}}
                database:
                  password: {secret: wp-db}
              - name: plain.example
                root: {{_temp.Combine("plain.example")}}
              - name: env.example
                root: {{_temp.Combine("plain.example")}}
                database:
                  password: {{fromEnvironment}}
            """);

        var without = Get();
        Assert.Equal("plain.example", without.Single<WpSite>().Name);
        Assert.Equal(2, without.Errors.Count);
        Assert.StartsWith("SecretManagementMissing", without.Errors[0].FullyQualifiedErrorId);
        Assert.Contains("SecretManagement", without.Errors[0].Exception.Message);
        Assert.Contains("sites[0].database.password {secret: wp-db}", without.Errors[0].Exception.Message);
        Assert.StartsWith("InventorySecretUnavailable", without.Errors[1].FullyQualifiedErrorId);
        Assert.Contains($"{_inventory}:11:", without.Errors[1].Exception.Message);
        Assert.Contains($"'{unset}' is not set", without.Errors[1].Exception.Message);

        // A stand-in with SecretManagement's signature: the cmdlet calls Get-Secret -Name … -AsPlainText.
        _ps.Run("""
            function global:Get-Secret {
                [CmdletBinding()] param([string] $Name, [switch] $AsPlainText)
                if ($Name -eq 'wp-db' -and $AsPlainText) { 'from the vault' } else { throw "no secret named $Name" }
            }
            """).ShouldSucceed();
        var with = Get("-Name vault.example");
        Assert.Equal("from the vault", with.ShouldSucceed().Single<WpSite>().Database.Password);

        WriteInventory($"sites:\n  - {{name: other, root: {_temp.Combine("vault.example")}, database: {{password: {{secret: missing}}}}}}\n");
        var error = Assert.Single(Get().Errors);
        Assert.StartsWith("InventorySecretUnavailable", error.FullyQualifiedErrorId);
        Assert.Contains("no secret named missing", error.Exception.Message);
    }

    [Fact]
    public void An_inventory_others_can_read_is_warned_about()
    {
        MiniSite.Create(_temp.Combine("a.example"));
        WriteInventory($"sites:\n  - {{name: a.example, root: {_temp.Combine("a.example")}}}\n");
        Assert.DoesNotContain(Get().ShouldSucceed().Warnings, w => w.Contains("chmod", StringComparison.Ordinal));
        File.SetUnixFileMode(_inventory, (UnixFileMode)0b110_100_100);
        var result = Get().ShouldSucceed();
        Assert.Single(result.Output);
        Assert.Contains(result.Warnings, w => w.Contains("other users (mode 0644)", StringComparison.Ordinal) && w.Contains($"chmod 600 '{_inventory}'", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
