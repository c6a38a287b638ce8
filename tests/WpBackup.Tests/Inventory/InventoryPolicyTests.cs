using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Tests.Retention;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Inventory;

/// <summary>
/// Remove-WpBackup -InventoryPolicy on real backup files: the calendar of docs/retention.md's
/// worked example for two sites, one with its own policy, one with the inventory's default.
/// </summary>
public sealed class InventoryPolicyTests : IDisposable
{
    // a..h of the worked example; keep-daily 3, keep-weekly 2, keep-monthly 2 in Europe/Berlin removes b and f.
    private const string A = "2026-09-28_01-00-00", B = "2026-10-05_01-00-00", C = "2026-10-19_01-00-00", D = "2026-10-22_01-00-00",
        E = "2026-10-24_01-00-00", F = "2026-10-24_22-30-00", G = "2026-10-25_22-30-00", H = "2026-10-26_02-00-00";

    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();
    private readonly string _dest;
    private readonly string _inventory;

    public InventoryPolicyTests()
    {
        _dest = _temp.Combine("backups");
        MakeCalendar("policy.example");
        MakeCalendar("default.example");
        _inventory = _temp.Combine("inventory.yml");
        File.WriteAllText(_inventory, $"""
            defaults:
              destination: {_dest}
              retention: {"{"}keepLast: 2{"}"}        # for sites without their own
            sites:
              - name: policy.example
                root: {_temp.Combine("www", "policy.example")}
                retention:
                  keepDaily: 3
                  keepWeekly: 2
                  keepMonthly: 2
                  timeZone: Europe/Berlin
              - name: default.example
                root: {_temp.Combine("www", "default.example")}
            """);
        File.SetUnixFileMode(_inventory, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) =>
        values.Append(("inv", _inventory)).Append(("d", _dest)).ToDictionary(v => v.Item1, v => v.Item2);

    /// <summary>One real backup of a WordPress-shaped folder, copied to the worked example's times and parent chains.</summary>
    private void MakeCalendar(string site)
    {
        var root = MiniSite.Create(_temp.Combine("www", site));
        var original = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", new Dictionary<string, object?> { ["p"] = root, ["d"] = _dest })
            .ShouldSucceed().Single<BackupInfo>();
        var manifest = BackupManifest.FromJson(File.ReadAllBytes(original.SidecarPath));
        foreach (var backup in RetentionPlannerTests.DocsCalendar())
        {
            var archive = Path.Combine(_dest, site, backup.Id + ArchiveLayout.ArchiveExtension);
            File.Copy(original.Path, archive);
            manifest.Id = backup.Id;
            manifest.Created = new DateTimeOffset(backup.Created);
            manifest.Parent = backup.Parent;
            manifest.Archive = Path.GetFileName(archive);
            File.WriteAllBytes(BackupCatalog.SidecarPathFor(archive), manifest.ToJson());
        }
        BackupCatalog.Remove(original);
    }

    private string[] Left(string site) =>
        new BackupCatalog(_dest).List(site).Select(b => b.Id).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Piped_sites_are_pruned_each_with_its_own_policy_from_the_inventory()
    {
        var whatIf = _ps.Run("Get-WpSite -ConfigPath $inv | Remove-WpBackup -InventoryPolicy -WhatIf", Vars()).ShouldSucceed();
        Assert.Empty(whatIf.Output);
        Assert.Equal(8, Left("policy.example").Length);

        var result = _ps.Run("Get-WpSite -ConfigPath $inv | Remove-WpBackup -InventoryPolicy -Verbose", Vars()).ShouldSucceed();
        Assert.Contains(result.Verbose, v => v.StartsWith("Retention policy of policy.example (inventory): keep-daily 3, keep-weekly 2, keep-monthly 2 (buckets in Europe/Berlin)", StringComparison.Ordinal));
        Assert.Contains(result.Verbose, v => v.StartsWith("Retention policy of default.example (inventory): keep-last 2", StringComparison.Ordinal));
        Assert.Equal([A, C, D, E, G, H], Left("policy.example"));
        Assert.Equal([G, H], Left("default.example")); // h needs its parent g; keep-last 2 keeps exactly those
    }

    [Fact]
    public void Site_names_with_InventoryPolicy_read_the_inventory_without_contacting_any_site()
    {
        // The roots do not even exist: -Site reads the inventory's settings only.
        Directory.Delete(_temp.Combine("www"), recursive: true);
        _ps.Run("Remove-WpBackup -Site policy.* -InventoryPolicy -ConfigPath $inv", Vars()).ShouldSucceed();
        Assert.Equal([A, C, D, E, G, H], Left("policy.example"));
        Assert.Equal(8, Left("default.example").Length);

        var missing = _ps.Run("Remove-WpBackup -Site nope.example -ApplyPolicy -ConfigPath $inv", Vars());
        Assert.StartsWith("SiteNotInInventory", Assert.Single(missing.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Keep_rules_beside_InventoryPolicy_are_refused_and_a_site_without_a_policy_is_an_error()
    {
        var both = _ps.Run("Get-WpSite -ConfigPath $inv | Remove-WpBackup -InventoryPolicy -KeepLast 1", Vars());
        Assert.StartsWith("InventoryPolicyWithRules", Assert.Single(both.Errors).FullyQualifiedErrorId);
        Assert.Equal(8, Left("policy.example").Length);

        File.WriteAllText(_inventory, $"sites:\n  - {{name: default.example, root: {_temp.Combine("www", "default.example")}, destination: {_dest}}}\n");
        var none = _ps.Run("Get-WpSite -ConfigPath $inv | Remove-WpBackup -InventoryPolicy", Vars());
        var error = Assert.Single(none.Errors);
        Assert.StartsWith("RetentionPolicyMissing", error.FullyQualifiedErrorId);
        Assert.Contains("default.example", error.Exception.Message);
        Assert.Equal(8, Left("default.example").Length);
    }

    [Fact]
    public void Plain_Remove_WpBackup_still_works_as_before()
    {
        _ps.Run("Get-WpBackup -Destination $d -Site default.example | Remove-WpBackup -KeepLast 1", Vars()).ShouldSucceed();
        Assert.Equal([G, H], Left("default.example"));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
