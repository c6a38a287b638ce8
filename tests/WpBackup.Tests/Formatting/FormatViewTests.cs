using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using WpBackup.Core;
using WpBackup.Cmdlets;
using WpBackup.Core.Sites;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Formatting;

/// <summary>
/// The module's format views (WpBackup.format.ps1xml) and type data (WpBackup.types.ps1xml) as
/// PowerShell applies them: tables through Out-Default in the wpbackup host, lists through
/// Format-List in the hosted engine, on a real (files-only) backup of a WordPress-shaped folder.
/// </summary>
public sealed partial class FormatViewTests : IDisposable
{
    private readonly TempFolder _temp = new("wpbackup-format-");

    public FormatViewTests() => MiniSite.Create(_temp.Combine("www", "example.com", "htdocs"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Tables_show_human_sizes_and_local_times_in_the_wpbackup_host()
    {
        var script = _temp.Combine("tables.ps1");
        File.WriteAllText(script, """
            param($Www, $Destination, $Target)
            Find-WpSite -Path $Www | Out-Default
            $backup = Find-WpSite -Path $Www | New-WpBackup -Type Files -Destination $Destination -Reason formatting
            Get-WpBackup -Destination $Destination | Out-Default
            $backup | Test-WpBackup | Out-Default
            $backup | Restore-WpBackup -Target $Target -Confirm:$false | Out-Default
            """);
        using var process = ShellProcess.StartWith(new Dictionary<string, string> { ["TZ"] = "Asia/Kolkata" },
            "-File", script, _temp.Combine("www"), _temp.Combine("backups"), _temp.Combine("restored"));
        var result = await ShellProcess.FinishAsync(process);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n').Select(l => l.TrimEnd()).ToArray();
        string[] Row(params string[] header)
        {
            var index = Array.FindIndex(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).SequenceEqual(header));
            Assert.True(index >= 0, $"no table with the columns {string.Join(", ", header)}:\n{result.StdOut}");
            return lines[index + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        var site = Row("Name", "ComputerName", "WordPress", "Database", "Tags", "Root"); // Tags: empty for a site not from the inventory
        Assert.Equal(["example.com", "localhost", "6.1.9", "mini@127.0.0.1:3307/mini", _temp.Combine("www", "example.com", "htdocs")], site);

        var backup = Row("Site", "Id", "Type", "Created", "Size", "Files", "Reason");
        var id = backup[1];
        var created = DateTime.ParseExact(id, BackupCatalog.IdFormat, CultureInfo.InvariantCulture);
        // The id is the UTC start time; the table shows it in the local zone, here +05:30.
        Assert.Equal(created.AddMinutes(330).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), $"{backup[3]} {backup[4]}");
        Assert.Matches(HumanSize(), $"{backup[5]} {backup[6]}");
        var files = backup[7];
        Assert.True(int.Parse(files, CultureInfo.InvariantCulture) > 0);
        Assert.Equal(["Files", "formatting"], [backup[2], backup[8]]);

        var test = Row("Site", "BackupId", "Passed", "Deep", "Files", "Checked", "Duration", "Problems");
        Assert.Equal(["example.com", id, "True", "False", files], test[..5]);
        Assert.Matches(HumanSize(), $"{test[5]} {test[6]}");
        Assert.Matches(@"^\d+\.\d s$", $"{test[7]} {test[8]}");

        var restore = Row("Site", "BackupId", "Type", "Files", "Size", "Database", "Target", "Duration");
        Assert.Equal(["example.com", id, "Files", files], restore[..4]);
        Assert.Matches(HumanSize(), $"{restore[4]} {restore[5]}");
        Assert.Equal(_temp.Combine("restored"), restore[6]);

        Assert.DoesNotContain("p@ss", result.StdOut + result.StdErr);
    }

    [Fact]
    public void Lists_show_every_property_and_never_the_password()
    {
        var (text, objects) = FormatList("""
            $site = Find-WpSite -Path $www
            $backup = $site | New-WpBackup -Type Files -Destination $destination -Reason lists -Metadata @{ ticket = 'OPS-42' }
            $test = $backup | Test-WpBackup
            $restore = $backup | Restore-WpBackup -Target $target -Confirm:$false
            foreach ($o in $site, $backup, $test, $restore) { $o | Format-List | Out-Default }
            $site, $backup, $test, $restore
            """);

        var site = (WpSite)objects[0];
        var backup = (Core.WpBackup)objects[1];
        // One entry per object, told apart by their second label.
        var entries = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(e => e.Split('\n')[1].Split(':')[0].Trim() + (e.Contains("\nPassed ", StringComparison.Ordinal) ? "+Passed" : ""));
        var siteEntry = entries["ComputerName"];
        var backupEntry = entries["Id"];

        AssertShowsEveryProperty<WpSite>(siteEntry, new() { ["WordPressVersion"] = "WordPress", ["Database"] = "DatabaseName", ["IsLocal"] = null });
        AssertShowsEveryProperty<Core.WpBackup>(backupEntry, new() { ["WordPressVersion"] = "WordPress", ["FileCount"] = "Files", ["StoredFileCount"] = "StoredFiles" });
        AssertShowsEveryProperty<WpBackupTestResult>(entries["BackupId+Passed"], new() { ["CheckedFiles"] = "Files", ["CheckedBytes"] = "Checked" });
        AssertShowsEveryProperty<WpRestoreResult>(entries["BackupId"], new() { ["FilesRestored"] = "Files", ["BytesRestored"] = "Size" });

        Assert.Contains("DatabasePassword : (read from wp-config.php, not shown)", siteEntry);
        Assert.Contains("DatabaseHost     : 127.0.0.1:3307", siteEntry);
        Assert.Equal("mini", site.Database.Name);

        Assert.Contains($"Created      : {Display.LocalTimeWithOffset(backup.Created)}", backupEntry);
        Assert.Matches(@"Size         : \d+(\.\d)? (B|KB) \([\d,]+ bytes\)", backupEntry);
        Assert.Contains($"({backup.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes)", backupEntry);
        Assert.Contains("Metadata     : ticket=OPS-42", backupEntry);
        Assert.Contains($"SidecarPath  : {backup.SidecarPath}", backupEntry);

        Assert.DoesNotContain("p@ss", text);
    }

    [Fact]
    public void Type_data_keeps_real_values_and_sorts_backups_by_site_and_time()
    {
        using var session = new PowerShellSession();
        var result = session.Run("""
            $backup = Find-WpSite -Path $www | New-WpBackup -Type Files -Destination $destination
            $backup.Size.GetType().FullName
            $backup.Created.GetType().FullName
            $backup.Created.Kind
            $backup.PSStandardMembers.DefaultKeyPropertySet.ReferencedPropertyNames -join ','
            $backup.PSStandardMembers.DefaultDisplayPropertySet.ReferencedPropertyNames -join ','
            (Find-WpSite -Path $www).PSStandardMembers.DefaultKeyPropertySet.ReferencedPropertyNames -join ','
            ($backup | Test-WpBackup).PSStandardMembers.DefaultKeyPropertySet.ReferencedPropertyNames -join ','
            """, Vars()).ShouldSucceed();

        Assert.Equal(["System.Int64", "System.DateTime", "Utc", "Site,Created", "Site,Id,Type,Created,Size,Reason", "ComputerName,Name", "Site,BackupId"],
            result.Output.Select(o => o.ToString()));
    }

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1536L, "1.5 KB")]
    [InlineData(12L * 1024 * 1024, "12 MB")]
    [InlineData(1288490189L, "1.2 GB")]
    public void Sizes_read_like_du_h(long bytes, string shown) => Assert.Equal(shown, Display.Size(bytes));

    [Theory]
    [InlineData(0.04, "0.0 s")]
    [InlineData(42.25, "42.3 s")]
    [InlineData(185, "3:05")]
    [InlineData(3723, "1:02:03")]
    public void Durations_read_naturally(double seconds, string shown) => Assert.Equal(shown, Display.Duration(TimeSpan.FromSeconds(seconds)));

    private Dictionary<string, object?> Vars() => new()
    {
        ["www"] = _temp.Combine("www"),
        ["destination"] = _temp.Combine("backups"),
        ["target"] = _temp.Combine("restored"),
    };

    /// <summary>Runs a script in the hosted engine with Format-List added; returns what Out-Default printed and the script's output.</summary>
    private (string Text, IReadOnlyList<object> Objects) FormatList(string script)
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry("Format-List", typeof(FormatListCommand), null));
        state.ImportPSModule([Path.Combine(AppContext.BaseDirectory, "WpBackup.psd1")]);
        var host = new TextHost();
        using var runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        foreach (var (name, value) in Vars())
            runspace.SessionStateProxy.SetVariable(name, value);
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        var output = shell.AddScript(script).Invoke();
        Assert.True(shell.Streams.Error.Count == 0, string.Join("\n", shell.Streams.Error));
        return (host.Text.Replace("\r\n", "\n"), output.Select(o => o.BaseObject).ToList());
    }

    /// <summary>Every public property of <typeparamref name="T"/> has a line in the list entry (under its own name or the label given; null: deliberately left out).</summary>
    private static void AssertShowsEveryProperty<T>(string entry, Dictionary<string, string?> labels)
    {
        var shown = entry.Split('\n').Select(l => l.Split(':')[0].Trim()).Where(l => l.Length > 0).ToHashSet();
        foreach (var property in typeof(T).GetProperties().Select(p => p.Name))
        {
            var label = labels.TryGetValue(property, out var mapped) ? mapped : property;
            if (label is null)
                continue;
            Assert.True(shown.Contains(label), $"The list view of {typeof(T).Name} does not show {property} (as '{label}'); add it to WpBackup.format.ps1xml:\n{entry}");
        }
    }

    [GeneratedRegex(@"^\d+(\.\d)? (B|KB|MB)$")]
    private static partial Regex HumanSize();
}
