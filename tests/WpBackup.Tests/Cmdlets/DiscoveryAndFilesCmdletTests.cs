using WpBackup.Core;
using WpBackup.Core.Sites;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Cmdlets;

/// <summary>The cmdlets through the real PowerShell engine, on WordPress-shaped folders (files only, no database).</summary>
public sealed class DiscoveryAndFilesCmdletTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Find_WpSite_names_sites_after_their_domain_folder_and_keeps_names_unique()
    {
        MiniSite.Create(_temp.Combine("www", "example.com", "htdocs"));
        MiniSite.Create(_temp.Combine("www", "blog.example.net", "public_html"));
        MiniSite.Create(_temp.Combine("other", "example.com", "htdocs"));
        Directory.CreateDirectory(_temp.Combine("www", "not-wordpress"));

        var sites = _ps.Run("Find-WpSite -Path $p | Where-Object { $_.WordPressVersion -eq '6.1.9' }", Vars(("p", new[] { _temp.Combine("www"), _temp.Combine("other") })))
            .ShouldSucceed().All<WpSite>().ToList();

        Assert.Equal(["blog.example.net", "example.com", "example.com-2"], sites.Select(s => s.Name).Order().ToArray());
        var site = sites.Single(s => s.Name == "blog.example.net");
        Assert.Equal("mini", site.Database.Name);
        Assert.Equal("127.0.0.1", site.Database.Host);
        Assert.Equal(3307, site.Database.Port);
        Assert.Equal("localhost", site.ComputerName);
    }

    [Fact]
    public void Find_WpSite_accepts_wp_config_one_folder_above_the_root()
    {
        var root = MiniSite.Create(_temp.Combine("srv", "shop.example", "wordpress"), config: null);
        File.WriteAllText(_temp.Combine("srv", "shop.example", "wp-config.php"), MiniSite.LiteralConfig);
        var site = _ps.Run("Find-WpSite $p", Vars(("p", _temp.Combine("srv")))).ShouldSucceed().Single<WpSite>();
        Assert.Equal(root, site.Root);
        Assert.Equal(_temp.Combine("srv", "shop.example", "wp-config.php"), site.ConfigPath);
        Assert.Equal("shop.example", site.Name);
    }

    [Fact]
    public void Find_WpSite_reports_a_missing_folder_and_goes_on_with_the_next()
    {
        MiniSite.Create(_temp.Combine("ok", "a.example", "htdocs"));
        var result = _ps.Run("Find-WpSite -Path $missing, $ok", Vars(("missing", _temp.Combine("nope")), ("ok", _temp.Combine("ok"))));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("PathNotFound", error.FullyQualifiedErrorId);
        Assert.Contains(_temp.Combine("nope"), error.Exception.Message);
        Assert.Equal("a.example", result.Single<WpSite>().Name);
    }

    [Fact]
    public void Find_WpSite_warns_when_a_folder_holds_no_site()
    {
        Directory.CreateDirectory(_temp.Combine("empty", "x"));
        var result = _ps.Run("Find-WpSite $p", Vars(("p", _temp.Combine("empty")))).ShouldSucceed();
        Assert.Empty(result.Output);
        Assert.Contains(result.Warnings, w => w.Contains("No WordPress site found", StringComparison.Ordinal));
    }

    [Fact]
    public void The_password_is_neither_a_property_nor_serialized()
    {
        MiniSite.Create(_temp.Combine("www", "a.example", "htdocs"));
        var result = _ps.Run("$s = Find-WpSite $p; $s.Database.PSObject.Properties.Name; [System.Management.Automation.PSSerializer]::Serialize($s, 5)",
            Vars(("p", _temp.Combine("www")))).ShouldSucceed();
        var names = result.Output.Take(result.Output.Count - 1).Select(o => o.ToString()).ToList();
        Assert.Contains("HasPassword", names);
        Assert.DoesNotContain("Password", names);
        var clixml = result.Output[^1].ToString();
        Assert.Contains("a.example", clixml);
        Assert.DoesNotContain("p@ss", clixml);
    }

    /// <summary>ConvertTo-Json (Newtonsoft.Json, shipped with PowerShell) and System.Text.Json see only public properties: no password.</summary>
    [Fact]
    public void The_password_is_in_no_json_of_a_site_or_a_backup()
    {
        MiniSite.Create(_temp.Combine("www", "a.example", "htdocs"));
        var result = _ps.Run("""
            $s = Find-WpSite $p
            $b = $s | New-WpBackup -Type Files -Destination $d
            foreach ($o in $s, $b, (Get-WpBackup -Destination $d)) {
                [Newtonsoft.Json.JsonConvert]::SerializeObject($o)
                [System.Text.Json.JsonSerializer]::Serialize($o, $o.GetType())
            }
            """, Vars(("p", _temp.Combine("www")), ("d", _temp.Combine("backups")))).ShouldSucceed();
        var json = result.Output.Select(o => (string)o.BaseObject).ToList();
        Assert.Equal(6, json.Count);
        Assert.All(json, text => Assert.Contains("a.example", text));
        Assert.All(json.Where((_, i) => i < 2), text => Assert.Contains("\"HasPassword\":true", text));
        Assert.All(json.Where((_, i) => i >= 2), text => Assert.Contains("\"Site\":\"a.example\"", text));
        Assert.All(json, text => Assert.DoesNotContain("p@ss", text));
    }

    [Fact]
    public void Files_backup_and_restore_through_the_pipeline()
    {
        var root = MiniSite.Create(_temp.Combine("www", "a.example", "htdocs"));
        var dest = _temp.Combine("backups");
        var before = TreeSnapshot.Take(root);

        var backup = _ps.Run("Find-WpSite $p | New-WpBackup -Type Files -Destination $d -Reason test -Metadata @{ ticket = 42 }",
            Vars(("p", _temp.Combine("www")), ("d", dest))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(BackupType.Files, backup.Type);
        Assert.Equal("test", backup.Reason);
        Assert.Equal("42", backup.Metadata["ticket"]);
        Assert.Null(backup.DatabaseSize);

        Directory.Delete(root, recursive: true);
        var restored = _ps.Run("Get-WpBackup -Destination $d -Site 'a.*' -Newest 1 | Restore-WpBackup -Confirm:$false",
            Vars(("d", dest))).ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(root, restored.Target);
        Assert.Equal(before, TreeSnapshot.Take(root));
    }

    [Fact]
    public void Restore_WhatIf_changes_nothing()
    {
        var root = MiniSite.Create(_temp.Combine("www", "a.example", "htdocs"));
        var dest = _temp.Combine("backups");
        _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", Vars(("p", root), ("d", dest))).ShouldSucceed();
        File.WriteAllText(Path.Combine(root, "new.txt"), "after the backup");

        var result = _ps.Run("Get-WpBackup -Destination $d | Restore-WpBackup -WhatIf", Vars(("d", dest))).ShouldSucceed();
        Assert.Empty(result.Output);
        Assert.True(File.Exists(Path.Combine(root, "new.txt")));
    }

    [Fact]
    public void New_WpBackup_on_a_folder_that_is_not_WordPress_is_a_clear_error_and_the_pipeline_goes_on()
    {
        var good = MiniSite.Create(_temp.Combine("www", "good.example", "htdocs"));
        Directory.CreateDirectory(_temp.Combine("plain"));
        var dest = _temp.Combine("backups");
        var result = _ps.Run("$plain, $good | New-WpBackup -Type Files -Destination $d", Vars(("plain", _temp.Combine("plain")), ("good", good), ("d", dest)));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("NotWordPress", error.FullyQualifiedErrorId);
        Assert.Contains("is not a WordPress site", error.Exception.Message);
        Assert.Equal("good.example", result.Single<BackupInfo>().Site);
    }

    [Fact]
    public void A_computed_database_password_names_the_constant_and_the_override_and_leaves_nothing()
    {
        var root = MiniSite.Create(_temp.Combine("www", "env.example", "htdocs"),
            "<?php\ndefine('DB_NAME', 'env');\ndefine('DB_USER', 'env');\ndefine('DB_PASSWORD', getenv('WP_DB_PASSWORD'));\ndefine('DB_HOST', 'localhost');\n");
        var dest = _temp.Combine("backups");
        var result = _ps.Run("Find-WpSite $p | New-WpBackup -Destination $d", Vars(("p", root), ("d", dest)));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("WpConfigComputedValue", error.FullyQualifiedErrorId);
        Assert.Contains("DB_PASSWORD", error.Exception.Message);
        Assert.Contains("-DatabaseCredential", error.Exception.Message);
        Assert.Contains(result.Warnings, w => w.Contains("DB_PASSWORD", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(dest, "env.example")) && Directory.EnumerateFileSystemEntries(Path.Combine(dest, "env.example")).Any());
    }

    [Fact]
    public void An_unwritable_destination_is_a_clear_error()
    {
        var root = MiniSite.Create(_temp.Combine("www", "a.example", "htdocs"));
        File.WriteAllText(_temp.Combine("a-file"), "not a folder");
        var result = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", Vars(("p", root), ("d", _temp.Combine("a-file", "backups"))));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("DestinationNotWritable", error.FullyQualifiedErrorId);
        Assert.Contains("-Destination", error.Exception.Message);
    }

    [Fact]
    public void LogPath_records_stages_with_times_and_failures_without_secrets()
    {
        var root = MiniSite.Create(_temp.Combine("www", "log.example", "htdocs"));
        var log = _temp.Combine("logs", "nightly.log");
        var dest = _temp.Combine("backups");
        var result = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d -LogPath $l -Verbose; New-WpBackup -Path $p -Destination $d -LogPath $l -RetryCount 0",
            Vars(("p", root), ("d", dest), ("l", log)));
        Assert.Single(result.Errors); // the Full backup cannot reach the database in MiniSite's wp-config
        Assert.Contains(result.Verbose, v => v.StartsWith("[", StringComparison.Ordinal) && v.Contains(" s] log.example: done", StringComparison.Ordinal));
        var text = File.ReadAllText(log);
        Assert.Contains("VERBOSE log.example: archiving", text);
        Assert.Contains("VERBOSE log.example: done", text);
        Assert.Contains("ERROR   Backing up log.example:", text);
        Assert.DoesNotContain("p@ss", text);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log));
    }

    [Fact]
    public void Get_WpBackup_with_an_unknown_id_is_an_error()
    {
        var result = _ps.Run("Get-WpBackup -Destination $d -Id 2001-01-01_00-00-00", Vars(("d", _temp.Combine("backups"))));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("BackupNotFound", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Remove_WpBackup_keeps_the_newest_backup_of_a_site_unless_forced()
    {
        var root = MiniSite.Create(_temp.Combine("www", "a.example", "htdocs"));
        var dest = _temp.Combine("backups");
        for (var i = 0; i < 3; i++)
            _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", Vars(("p", root), ("d", dest))).ShouldSucceed();

        _ps.Run("Get-WpBackup -Destination $d | Remove-WpBackup -WhatIf", Vars(("d", dest))).ShouldSucceed();
        Assert.Equal(3, new BackupCatalog(dest).List().Count);

        var newest = new BackupCatalog(dest).List()[0];
        _ps.Run("Get-WpBackup -Destination $d | Remove-WpBackup -Confirm:$false", Vars(("d", dest))).ShouldSucceed();
        var left = Assert.Single(new BackupCatalog(dest).List());
        Assert.Equal(newest.Id, left.Id);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dest, "a.example")).Length);

        _ps.Run("Remove-WpBackup -Site a.example -Destination $d -Force -Confirm:$false", Vars(("d", dest))).ShouldSucceed();
        Assert.Empty(new BackupCatalog(dest).List());
        Assert.Empty(Directory.GetFiles(Path.Combine(dest, "a.example")));
    }

    [Fact]
    public void Remove_WpBackup_KeepLast_and_OlderThan_in_days()
    {
        var root = MiniSite.Create(_temp.Combine("www", "a.example", "htdocs"));
        var dest = _temp.Combine("backups");
        for (var i = 0; i < 4; i++)
            _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", Vars(("p", root), ("d", dest))).ShouldSucceed();

        _ps.Run("Remove-WpBackup -Site a.example -Destination $d -OlderThan 1 -Confirm:$false", Vars(("d", dest))).ShouldSucceed();
        Assert.Equal(4, new BackupCatalog(dest).List().Count); // all younger than a day
        _ps.Run("Remove-WpBackup -Site a.example -Destination $d -KeepLast 2 -Confirm:$false", Vars(("d", dest))).ShouldSucceed();
        Assert.Equal(2, new BackupCatalog(dest).List().Count);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
