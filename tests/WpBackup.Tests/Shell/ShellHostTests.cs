using System.Diagnostics;
using System.Runtime.InteropServices;

namespace WpBackup.Tests.Shell;

/// <summary>The wpbackup shell run as a whole process, as a user or a README demo runs it.</summary>
public sealed class ShellHostTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wpbackup-shell-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Command_PrintsObjectsThroughPowerShellFormatting()
    {
        ShellResult result = await ShellProcess.CommandAsync("[pscustomobject]@{ A = 1; B = 'x' }");

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = Lines(result.StdOut);
        int header = Array.FindIndex(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["A", "B"]);
        Assert.True(header >= 0, result.ToString());
        Assert.Equal(["-", "-"], lines[header + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["1", "x"], lines[header + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain('\e', result.StdOut);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Fact]
    public async Task Exit_SetsTheProcessExitCode()
    {
        ShellResult result = await ShellProcess.CommandAsync("'before'; exit 3; 'after'");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("before", result.StdOut);
        Assert.DoesNotContain("after", result.StdOut);
    }

    [Fact]
    public async Task WriteError_GoesToStandardErrorAndFailsTheRun()
    {
        ShellResult result = await ShellProcess.CommandAsync("Write-Error 'the disk is on fire'");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Write-Error: the disk is on fire", result.StdErr);
        Assert.DoesNotContain("disk is on fire", result.StdOut);
    }

    [Fact]
    public async Task ErrorFollowedBySuccess_ExitsZeroLikePwshCommand()
    {
        // pwsh -Command: the exit code follows $? after the last statement.
        ShellResult result = await ShellProcess.CommandAsync("Write-Error 'first'; 'done'");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("first", result.StdErr);
        Assert.Contains("done", result.StdOut);
    }

    [Fact]
    public async Task Throw_ReportsTheErrorAndExitsOne()
    {
        ShellResult result = await ShellProcess.CommandAsync("'start'; throw 'backup failed'; 'unreachable'");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("backup failed", result.StdErr);
        Assert.DoesNotContain("unreachable", result.StdOut);
    }

    [Fact]
    public async Task ParseError_IsReportedWithItsPosition()
    {
        ShellResult result = await ShellProcess.CommandAsync("'a'; 1 +");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("ParserError", result.StdErr);
        Assert.Contains("You must provide a value expression", result.StdErr);
        Assert.Equal(string.Empty, result.StdOut.Trim());
    }

    [Fact]
    public async Task File_ReceivesNamedSwitchAndPositionalArguments()
    {
        string script = Script("args.ps1", """
            param([string] $Site, [switch] $Force, [int] $Keep = 1)
            "site=$Site force=$Force keep=$Keep rest=$($args -join '|')"
            "path=$PSCommandPath"
            """);

        ShellResult result = await ShellProcess.RunAsync("-File", script, "-Site", "example.com", "-Force", "extra one", "-Keep:7", "last");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("site=example.com force=True keep=7 rest=extra one|last", result.StdOut);
        Assert.Contains($"path={script}", result.StdOut);
    }

    [Fact]
    public async Task File_ExitInTheScriptSetsTheExitCode()
    {
        string script = Script("exit.ps1", """
            param($Code)
            "exiting with $Code"
            exit $Code
            """);

        ShellResult result = await ShellProcess.RunAsync(script, "4");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("exiting with 4", result.StdOut);
    }

    [Fact]
    public async Task File_ThatDoesNotExist_IsAUsageError()
    {
        ShellResult result = await ShellProcess.RunAsync("-File", Path.Combine(_directory, "missing.ps1"));

        Assert.True(result.ExitCode == 64, result.ToString());
        Assert.Contains("missing.ps1", result.StdErr);
    }

    [Fact]
    public async Task WarningAndVerbose_GoToStandardErrorWithTheirPrefixes()
    {
        ShellResult result = await ShellProcess.CommandAsync(
            "Write-Warning 'disk almost full'; Write-Verbose 'hidden'; Write-Verbose 'shown' -Verbose; 'data'");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("WARNING: disk almost full", result.StdErr);
        Assert.Contains("VERBOSE: shown", result.StdErr);
        Assert.DoesNotContain("hidden", result.StdErr);
        Assert.Equal("data", result.StdOut.Trim());
    }

    [Fact]
    public async Task Progress_IsNotWrittenWhenStandardErrorIsRedirected()
    {
        ShellResult result = await ShellProcess.CommandAsync(
            "1..3 | ForEach-Object { Write-Progress -Activity 'Copying' -Status \"file $_\" -PercentComplete ($_ * 30) }; 'copied'");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.StdErr);
        Assert.Equal("copied", result.StdOut.Trim());
    }

    [Fact]
    public async Task ConfirmPrompt_WithoutInteractiveInput_FailsInsteadOfWaiting()
    {
        const string function = """
            function Remove-Thing {
                [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
                param([string] $Name)
                if ($PSCmdlet.ShouldProcess($Name, 'Remove')) { "removed $Name" }
            }
            """;

        ShellResult refused = await ShellProcess.CommandAsync(function + "\n$ErrorActionPreference = 'Stop'\nRemove-Thing alpha\n'after'");
        ShellResult confirmed = await ShellProcess.CommandAsync(function + "\nRemove-Thing beta -Confirm:$false");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("no interactive input", refused.StdErr);
        Assert.Contains("-Confirm:$false", refused.StdErr);
        Assert.DoesNotContain("removed", refused.StdOut);
        Assert.DoesNotContain("after", refused.StdOut);
        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Contains("removed beta", confirmed.StdOut);
    }

    [Fact]
    public async Task ReadHost_WithoutInteractiveInput_FailsInsteadOfWaiting()
    {
        ShellResult result = await ShellProcess.CommandAsync("$name = Read-Host 'Site name'");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no interactive input", result.StdErr);
    }

    [Fact]
    public async Task Interrupt_StopsTheRunningPipeline()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // SIGINT is a Unix signal; Windows has no kill(2).
        }

        string[] arguments = ["-Command", "'started'; while ($true) { [System.Threading.Thread]::Sleep(20) }; 'unreachable'"];
        using Process process = ShellProcess.Start(arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The script has started once its first line is out; then Ctrl+C (SIGINT) stops it.
        string? first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.Equal("started", first);
        Assert.Equal(0, Interrupt(process.Id));
        ShellResult result = await ShellProcess.FinishAsync(process, arguments);

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.DoesNotContain("unreachable", result.StdOut);
    }

    [Fact]
    public async Task WpBackupModule_IsImported()
    {
        ShellResult imported = await ShellProcess.CommandAsync("(Get-Module WpBackup).Name");
        ShellResult skipped = await ShellProcess.RunAsync("-NoModule", "-Command", "@(Get-Module WpBackup).Count");

        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Equal("WpBackup", imported.StdOut.Trim());
        Assert.Equal(string.Empty, imported.StdErr);
        Assert.Equal("0", skipped.StdOut.Trim());
    }

    [Fact]
    public async Task VersionHelpAndBadArguments()
    {
        ShellResult version = await ShellProcess.RunAsync("-Version");
        ShellResult help = await ShellProcess.RunAsync("-h");
        ShellResult bad = await ShellProcess.RunAsync("-Frobnicate");

        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("wpbackup ", version.StdOut);
        Assert.Contains("PowerShell 7.", version.StdOut);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("-Command", help.StdOut);
        Assert.Contains("Exit codes", help.StdOut);
        Assert.Equal(64, bad.ExitCode);
        Assert.Contains("-Frobnicate", bad.StdErr);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static int Interrupt(int pid) => Kill(pid, 2 /* SIGINT */);

    private string Script(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToArray();
}
