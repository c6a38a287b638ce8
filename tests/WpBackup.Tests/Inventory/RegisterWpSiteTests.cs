using WpBackup.Core.Sites;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Inventory;

/// <summary>Register-WpSite: sites found are added to the inventory file as text, the rest of the file kept as written.</summary>
public sealed class RegisterWpSiteTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();
    private readonly string _inventory;

    public RegisterWpSiteTests() => _inventory = _temp.Combine("config", "wpbackup", "inventory.yml");

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) =>
        values.Append(("inv", _inventory)).ToDictionary(v => v.Item1, v => v.Item2);

    private string Site(string name, string folder = "htdocs") => MiniSite.Create(_temp.Combine("www", name, folder));

    private void WriteInventory(string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_inventory)!);
        File.WriteAllText(_inventory, text);
        File.SetUnixFileMode(_inventory, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private string[] Registered() =>
        _ps.Run("Get-WpSite -ConfigPath $inv", Vars()).ShouldSucceed().All<WpSite>().Select(s => $"{s.Name}={s.Root}").ToArray();

    [Fact]
    public void Creates_a_private_inventory_that_Get_WpSite_reads_back()
    {
        var a = Site("a.example");
        var b = Site("b.example", "public_html");
        _ps.Run("Find-WpSite $www | Register-WpSite -ConfigPath $inv -Tag new, web", Vars(("www", _temp.Combine("www")))).ShouldSucceed();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_inventory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(_inventory)!));
        var text = File.ReadAllText(_inventory);
        Assert.StartsWith("# WpBackup site inventory", text);
        Assert.Equal($"""
            sites:
              - name: a.example
                root: {a}
                tags: [new, web]
              - name: b.example
                root: {b}
                tags: [new, web]

            """, text[text.IndexOf("sites:", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("p@ss", text);

        var sites = _ps.Run("Get-WpSite -ConfigPath $inv -Tag web", Vars()).ShouldSucceed().All<WpSite>().ToList();
        Assert.Equal([$"a.example={a}", $"b.example={b}"], sites.Select(s => $"{s.Name}={s.Root}"));
        Assert.All(sites, s => Assert.Equal(["new", "web"], s.Tags));
        Assert.All(sites, s => Assert.Equal("mini", s.Database.Name));
    }

    [Fact]
    public void Adds_to_an_existing_file_keeping_every_comment_and_its_layout()
    {
        var original = """
            # Our sites. Keep this comment!
            defaults:
              retention: {keepLast: 3}   # a trailing comment

            sites:
            # an indentless list, as some people write them
            - name: old.example
              root: /srv/old        # the old one
              tags: [legacy]

            # hosts go below the sites here
            hosts: {}
            """;
        WriteInventory(original);
        var root = Site("new.example");

        _ps.Run("Find-WpSite $p | Register-WpSite -ConfigPath $inv", Vars(("p", root))).ShouldSucceed();

        var expected = original.Replace("  tags: [legacy]\n", $"  tags: [legacy]\n- name: new.example\n  root: {root}\n");
        Assert.Equal(expected, File.ReadAllText(_inventory));
        var sites = _ps.Run("Get-WpSite -ConfigPath $inv new.example", Vars()).ShouldSucceed().Single<WpSite>();
        Assert.Equal(3, sites.Settings!.Retention!.KeepLast);
    }

    [Fact]
    public void A_name_already_there_is_refused_and_Force_updates_that_entry_only()
    {
        var oldRoot = Site("shop.example");
        WriteInventory($"""
            # production shop
            sites:
              - name: shop.example   # moved in 2026
                root: {oldRoot}
                tags: [production]
                retention:           # its own policy
                  keepDaily: 14
                exclude: [wp-content/uploads/cache]
              - name: other.example
                root: /srv/other
            # end
            """);
        var before = File.ReadAllText(_inventory);

        var refused = _ps.Run("Find-WpSite $p | Register-WpSite -ConfigPath $inv", Vars(("p", oldRoot)));
        var error = Assert.Single(refused.Errors);
        Assert.StartsWith("SiteAlreadyInInventory", error.FullyQualifiedErrorId);
        Assert.Contains($"{_inventory}:3:5:", error.Exception.Message);
        Assert.Contains("-Force", error.Exception.Message);
        Assert.Equal(before, File.ReadAllText(_inventory));

        var newRoot = MiniSite.Create(_temp.Combine("srv2", "shop.example", "htdocs"));
        _ps.Run("Find-WpSite $p | Register-WpSite -ConfigPath $inv -Force -Tag moved", Vars(("p", newRoot))).ShouldSucceed();

        Assert.Equal($"""
            # production shop
            sites:
              - name: shop.example
                root: {newRoot}
                tags: [production, moved]
                retention:           # its own policy
                  keepDaily: 14
                exclude: [wp-content/uploads/cache]
              - name: other.example
                root: /srv/other
            # end
            """, File.ReadAllText(_inventory));
        var site = _ps.Run("Get-WpSite -ConfigPath $inv shop.example", Vars()).ShouldSucceed().Single<WpSite>();
        Assert.Equal(newRoot, site.Root);
        Assert.Equal(14, site.Settings!.Retention!.KeepDaily);
        Assert.Equal(["wp-content/uploads/cache"], site.Settings.Exclude);
    }

    [Fact]
    public void WhatIf_writes_nothing_and_PassThru_emits_what_was_recorded()
    {
        var root = Site("w.example");
        _ps.Run("Find-WpSite $p | Register-WpSite -ConfigPath $inv -WhatIf", Vars(("p", root))).ShouldSucceed();
        Assert.False(File.Exists(_inventory));

        var passed = _ps.Run("Find-WpSite $p | Register-WpSite -ConfigPath $inv -PassThru", Vars(("p", root))).ShouldSucceed();
        Assert.Equal("w.example", passed.Single<WpSite>().Name);
        Assert.Equal([$"w.example={root}"], Registered());
    }

    [Fact]
    public void A_flow_list_an_empty_list_and_a_file_without_sites_are_all_added_to()
    {
        var root = Site("f.example");

        WriteInventory("sites: []   # none yet\n");
        _ps.Run("Find-WpSite $p | Register-WpSite -ConfigPath $inv", Vars(("p", root))).ShouldSucceed();
        Assert.Equal($"sites: [{{name: f.example, root: {root}}}]   # none yet\n", File.ReadAllText(_inventory));

        WriteInventory("defaults:\n  compressionLevel: 5\nsites:\n");
        _ps.Run("Find-WpSite $p | Register-WpSite -ConfigPath $inv", Vars(("p", root))).ShouldSucceed();
        Assert.Equal($"defaults:\n  compressionLevel: 5\nsites:\n  - name: f.example\n    root: {root}\n", File.ReadAllText(_inventory));

        WriteInventory("defaults:\n  compressionLevel: 5");
        _ps.Run("Find-WpSite $p | Register-WpSite -ConfigPath $inv", Vars(("p", root))).ShouldSucceed();
        Assert.Equal($"defaults:\n  compressionLevel: 5\nsites:\n  - name: f.example\n    root: {root}\n", File.ReadAllText(_inventory));
        Assert.Equal([$"f.example={root}"], Registered());
    }

    [Fact]
    public void A_broken_inventory_is_not_touched()
    {
        WriteInventory("sites:\n  - name: x\n    rooot: /x\n");
        var result = _ps.Run("Find-WpSite $p | Register-WpSite -ConfigPath $inv", Vars(("p", Site("b.example"))));
        Assert.StartsWith("InventoryUnknownKey", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal("sites:\n  - name: x\n    rooot: /x\n", File.ReadAllText(_inventory));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
