using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Completion;

/// <summary>
/// Tab completion of site names, backup ids and destinations, through the engine's completion API
/// (CommandCompletion.CompleteInput, what TabExpansion2 and PSReadLine call) in a runspace with the
/// module imported.
/// </summary>
public sealed class ArgumentCompleterTests : IDisposable
{
    private readonly TempFolder _temp = new("wpbackup-complete-");
    private readonly PowerShellSession _ps = new();
    private readonly string _backups;

    public ArgumentCompleterTests()
    {
        _backups = _temp.Combine("backups");
        Backup("example.com", "2026-11-20_01-00-00", "2026-11-24_01-00-00", "2026-11-22_01-00-00");
        Backup("shop.example", "2026-11-23_01-00-00", "2026-11-24_01-00-00");
        Backup("blog.example", "2026-11-21_01-00-00");
        Directory.CreateDirectory(Path.Combine(_backups, "emptied.example"));         // all its backups removed
        Directory.CreateDirectory(Path.Combine(_backups, "example.com", ".wpbackup-2026-11-25_01-00-00")); // a backup being written
        Directory.CreateDirectory(Path.Combine(_backups, ".trash"));
        File.WriteAllText(_temp.Combine("notes.txt"), "not a folder");
        Directory.CreateDirectory(_temp.Combine("backups-old"));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }

    private void Backup(string site, params string[] ids)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_backups, site)).FullName;
        foreach (var id in ids)
        {
            File.WriteAllText(Path.Combine(folder, id + ".json"), "{}");
            File.WriteAllText(Path.Combine(folder, id + ".tar.zst"), "");
        }
    }

    /// <summary>The completions offered with the cursor at the end of the line (or at '|').</summary>
    private List<string> Complete(string line)
    {
        var cursor = line.IndexOf('|', StringComparison.Ordinal);
        var input = cursor < 0 ? line : line.Remove(cursor, 1);
        var result = _ps.Run("[System.Management.Automation.CommandCompletion]::CompleteInput($line, $cursor, $null).CompletionMatches | ForEach-Object CompletionText",
            new Dictionary<string, object?> { ["line"] = input, ["cursor"] = cursor < 0 ? input.Length : cursor }).ShouldSucceed();
        return result.Output.Select(o => o.ToString()).ToList();
    }

    [Fact]
    public void Site_completes_the_sites_that_have_backups_in_the_destination()
    {
        Assert.Equal(["blog.example", "example.com", "shop.example"], Complete($"Get-WpBackup -Destination '{_backups}' -Site "));
        Assert.Equal(["example.com"], Complete($"Get-WpBackup '{_backups}' -Site ex"));
        Assert.Equal(["blog.example", "shop.example"], Complete($"Get-WpBackup -Destination '{_backups}' -Site *.example"));
        Assert.Equal(["'shop.example'"], Complete($"Get-WpBackup -Destination '{_backups}' -Site 'sh"));
        Assert.Equal(["shop.example"], Complete($"Get-WpBackup -Destination '{_backups}' -Name s"));
        Assert.Equal(["blog.example"], Complete($"Remove-WpBackup -Site b| -Destination '{_backups}' -KeepLast 3"));
        Assert.Empty(Complete($"Get-WpBackup -Destination '{_temp.Combine("nothing-here")}' -Site "));
    }

    [Fact]
    public void Site_names_also_come_from_the_inventory()
    {
        var inventory = _temp.Combine("inventory.yml");
        File.WriteAllText(inventory, "sites:\n  - name: inventory-only.example\n    root: /srv/www/inventory-only\n");
        File.SetUnixFileMode(inventory, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(["inventory-only.example"], Complete($"Get-WpSite -ConfigPath '{inventory}' -Name inv"));
        Assert.Equal(["'inventory-only.example'"], Complete($"Get-WpSite -ConfigPath '{inventory}' -Name 'inv"));
    }

    [Fact]
    public void Site_finds_a_relative_destination_from_the_current_location()
    {
        _ps.Run("$ExecutionContext.SessionState.Path.SetLocation($p) | Out-Null", new Dictionary<string, object?> { ["p"] = _temp.Path }).ShouldSucceed();

        Assert.Equal(["blog.example", "example.com", "shop.example"], Complete("Get-WpBackup -Destination ./backups -Site "));
    }

    [Fact]
    public void Id_completes_the_backups_of_the_bound_site_newest_first()
    {
        Assert.Equal(["2026-11-24_01-00-00", "2026-11-22_01-00-00", "2026-11-20_01-00-00"],
            Complete($"Get-WpBackup -Destination '{_backups}' -Site example.com -Id "));
        Assert.Equal(["2026-11-24_01-00-00", "2026-11-23_01-00-00"], Complete($"Get-WpBackup -Destination '{_backups}' -Name shop.example -Id 2026"));
        // Without -Site, every site's ids, once each.
        Assert.Equal(["2026-11-24_01-00-00", "2026-11-23_01-00-00", "2026-11-22_01-00-00", "2026-11-21_01-00-00", "2026-11-20_01-00-00"],
            Complete($"Get-WpBackup -Destination '{_backups}' -Id "));
        Assert.Equal(["2026-11-21_01-00-00"], Complete($"Get-WpBackup -Destination '{_backups}' -Site b* -Id "));
    }

    [Fact]
    public void Destination_completes_folders_only()
    {
        var prefix = _temp.Combine("ba");
        var offered = Complete($"New-WpBackup -Path /var/www/x -Destination {prefix}").Select(t => t.Trim('\'', '"')).ToList();

        Assert.Equal([_temp.Combine("backups"), _temp.Combine("backups-old")], offered.Order());
        Assert.Empty(Complete($"Get-WpBackup -Destination {_temp.Combine("no")}"));
    }

    [Fact]
    public void Destination_completes_relative_folders_as_typed_and_quotes_spaces()
    {
        Directory.CreateDirectory(_temp.Combine("my backups"));
        _ps.Run("$ExecutionContext.SessionState.Path.SetLocation($p) | Out-Null", new Dictionary<string, object?> { ["p"] = _temp.Path }).ShouldSucceed();

        Assert.Equal(["./backups", "./backups-old"], Complete("Remove-WpBackup -Site x -Force -Destination ba"));
        Assert.Equal(["'./my backups'"], Complete("Get-WpBackup -Destination my"));
        Assert.Equal(["backups/blog.example", "backups/emptied.example", "backups/example.com", "backups/shop.example"], Complete("Get-WpBackup -Destination backups/"));
    }

    [Fact]
    public async Task The_default_backup_folder_is_used_and_offered_first_in_the_wpbackup_host()
    {
        var script = """
            function Complete([string] $line) {
                ([System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)).CompletionMatches.CompletionText -join '|'
            }
            "sites=" + (Complete 'Get-WpBackup -Site ')
            "ids=" + (Complete 'Get-WpBackup -Site shop.example -Id ')
            "destinations=" + (Complete 'New-WpBackup -Path /var/www/x -Destination ')
            """;
        using var process = ShellProcess.StartWith(new Dictionary<string, string> { ["WPBACKUP_ROOT"] = _backups }, "-Command", script);
        var result = await ShellProcess.FinishAsync(process);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("sites=blog.example|example.com|shop.example\n", result.StdOut);
        Assert.Contains("ids=2026-11-24_01-00-00|2026-11-23_01-00-00\n", result.StdOut);
        var destinations = result.StdOut.Split('\n').Single(l => l.StartsWith("destinations=", StringComparison.Ordinal))["destinations=".Length..].Split('|');
        Assert.Equal(_backups, destinations[0].Trim('\''));
    }
}
