using System.Text.RegularExpressions;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Examples;

/// <summary>
/// What can be checked of the examples that cannot run here. The Pester files (examples/verify-backups.Tests.ps1,
/// tests/Pester/*.Tests.ps1) and the Windows Task Scheduler script are PARSE-CHECKED ONLY: they parse, and the
/// commands they call exist with the parameters they pass. The systemd units and the cron line are read as text:
/// they start the wpbackup host on nightly-backup.ps1 with parameters that script has.
/// </summary>
public sealed class ExampleStaticTests : IDisposable
{
    private readonly PowerShellSession _session = new();
    private static readonly string Root = ScriptCheck.RepositoryRoot();
    private static string Example(params string[] parts) => Path.Combine([Root, "examples", .. parts]);

    public void Dispose() => _session.Dispose();

    [Fact]
    public void The_check_itself_reports_unknown_commands_and_parameters()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("bad.Tests.ps1");
        File.WriteAllText(path, "Describe 'x' { It 'y' { Get-WpBackup -Newst 1 | Should -BeTrew; Get-WpBakup } }\nNew-WpBackup -Type Incremental -FullEvery 7 -Rsn x\n");
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ScriptCheck.CommandsExist(path, _session, ScriptCheck.Pester5));
        Assert.Contains("Get-WpBackup has no parameter -Newst", failure.Message);
        Assert.Contains("Should has no parameter -BeTrew", failure.Message);
        Assert.Contains("command 'Get-WpBakup' does not exist", failure.Message);
        Assert.Contains("New-WpBackup has no parameter -Rsn", failure.Message);
        Assert.DoesNotContain("FullEvery", failure.Message);

        File.WriteAllText(path, "Describe 'x' {");
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ScriptCheck.Parse(path));
    }

    [Fact]
    public void Verify_backups_pester_file_parses_and_calls_existing_commands_parse_checked_only()
    {
        var path = Example("verify-backups.Tests.ps1");
        ScriptCheck.CommandsExist(path, _session, ScriptCheck.Pester5);
        var commands = ScriptCheck.Commands(ScriptCheck.Parse(path)).Select(c => c.Command).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Superset(new HashSet<string>(["Describe", "It", "BeforeAll", "BeforeDiscovery", "Should", "Get-WpSite", "Get-WpBackup", "Test-WpBackup"], StringComparer.OrdinalIgnoreCase), commands);
        var text = File.ReadAllText(path);
        Assert.Contains("Should -BeTrue", text);
        Assert.Contains("Should -BeLessThan", text);
        Assert.Contains("-ForEach $sites", text);
    }

    [Fact]
    public void Pester_acceptance_suite_parses_and_calls_existing_commands_parse_checked_only()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "tests", "Pester"), "*.ps1");
        Assert.Contains(files, f => f.EndsWith(".Tests.ps1", StringComparison.Ordinal));
        foreach (var file in files)
            ScriptCheck.CommandsExist(file, _session, ["php", "pwsh", "chmod"], ScriptCheck.Pester5);
    }

    [Fact]
    public void Windows_task_registration_parses_and_calls_existing_commands_parse_checked_only()
    {
        var path = Example("scheduling", "Register-NightlyBackupTask.ps1");
        ScriptCheck.CommandsExist(path, _session, ScriptCheck.ScheduledTasks);
        var text = File.ReadAllText(path);
        Assert.Contains("Register-ScheduledTask", text);
        AssertNightlyArguments(Regex.Match(text, "-File `\"\\$ScriptPath`\" (?<args>[^\"]*)\"").Groups["args"].Value);
    }

    [Fact]
    public void Examples_run_by_the_wpbackup_host_use_only_commands_it_has()
    {
        var host = ShellProcess.CommandAsync("Get-Command -CommandType Cmdlet, Function, Alias | ForEach-Object Name").GetAwaiter().GetResult();
        Assert.Equal(0, host.ExitCode);
        var available = host.StdOut.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Contains("New-WpBackup", available);
        foreach (var name in new[] { "nightly-backup.ps1", "pre-update-backup.ps1", "restore-to-staging.ps1", "demo.ps1" })
        {
            var path = Example(name);
            ScriptCheck.CommandsExist(path, _session, ["php", "tar"]);
            var ast = ScriptCheck.Parse(path);
            var own = ScriptCheck.Functions(ast);
            var missing = ScriptCheck.Commands(ast).Select(c => c.Command)
                .Where(c => !own.Contains(c) && !available.Contains(c) && c is not ("php" or "tar")).Distinct().ToList();
            Assert.True(missing.Count == 0, $"{name} calls commands the wpbackup host does not have: {string.Join(", ", missing)}");
        }
    }

    [Fact]
    public void Systemd_service_runs_the_nightly_script_in_the_wpbackup_host_and_the_timer_starts_it()
    {
        var service = File.ReadAllLines(Example("scheduling", "wpbackup-nightly.service"));
        var exec = Assert.Single(service, l => l.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..];
        AssertRunsNightlyInHost(exec);
        Assert.Contains("Type=oneshot", service);
        Assert.Contains(service, l => l.StartsWith("Environment=WPBACKUP_CONFIG=", StringComparison.Ordinal));

        var timer = File.ReadAllLines(Example("scheduling", "wpbackup-nightly.timer"));
        Assert.Contains("Unit=wpbackup-nightly.service", timer);
        Assert.Contains(timer, l => l.StartsWith("OnCalendar=", StringComparison.Ordinal));
        Assert.Contains("WantedBy=timers.target", timer);
    }

    [Fact]
    public void Cron_line_runs_the_nightly_script_in_the_wpbackup_host()
    {
        var line = Assert.Single(File.ReadAllLines(Example("scheduling", "crontab")), l => l.Length > 0 && (char.IsDigit(l[0]) || l[0] == '*'));
        var fields = line.Split(' ', 6);
        Assert.Equal(6, fields.Length);
        Assert.All(fields[..5], f => Assert.Matches(@"^[0-9*/,\-]+$", f));
        AssertRunsNightlyInHost(fields[5].Split(">>")[0].Trim());
    }

    /// <summary>"/path/wpbackup [host options] -File /path/nightly-backup.ps1 [script parameters]".</summary>
    private static void AssertRunsNightlyInHost(string commandLine)
    {
        var words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(Path.IsPathRooted(words[0]) && Path.GetFileName(words[0]) == "wpbackup", $"not the wpbackup host: {commandLine}");
        int file = Array.IndexOf(words, "-File");
        Assert.True(file > 0 && file + 1 < words.Length, $"no -File: {commandLine}");
        Assert.All(words[1..file], w => Assert.Contains(w, new[] { "-NonInteractive", "-NoModule" }));
        Assert.DoesNotContain("-NoModule", words);
        Assert.Equal("nightly-backup.ps1", Path.GetFileName(words[file + 1]));
        AssertNightlyArguments(string.Join(' ', words[(file + 2)..]));
    }

    private static void AssertNightlyArguments(string arguments)
    {
        var known = ScriptCheck.ScriptParameters(Example("nightly-backup.ps1"));
        foreach (Match m in Regex.Matches(arguments, @"(?<=^|\s)-(\w+)"))
            Assert.Contains(m.Groups[1].Value, known, StringComparer.OrdinalIgnoreCase);
    }
}
