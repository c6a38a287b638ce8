using System.Reflection;

namespace WpBackup.Shell;

/// <summary>The texts printed by <c>wpbackup -Help</c> and <c>wpbackup -Version</c>.</summary>
internal static class Usage
{
    public const string Text = """
        wpbackup - run PowerShell with the WpBackup module, without pwsh

        Usage:
          wpbackup -Command '<script>'          run script text (-c)
          wpbackup -Command -                   read the script text from standard input
          wpbackup -File <script.ps1> [args...] run a script file with arguments (-f)
          wpbackup <script.ps1> [args...]       same as -File
          wpbackup -Version                     print the versions (-v)
          wpbackup -Help                        print this text (-h, -?)

        Options (before -Command/-File):
          -NoModule        do not import the WpBackup module
          -NonInteractive  never prompt; Read-Host and confirmations fail instead

        Everything after -Command is joined into the script text. Arguments after the
        script file go to the script: '-Name value' binds a parameter, '-Switch' a
        switch, '-Name:value' a named value, anything else is positional ($args).

        Output objects are formatted by PowerShell (Out-Default) on standard output.
        Errors, warnings ("WARNING: "), verbose ("VERBOSE: ") and debug ("DEBUG: ")
        lines go to standard error. Progress is shown on standard error only when it
        is a terminal. Prompts (Read-Host, -Confirm, ShouldContinue) fail with an
        error instead of waiting when standard input is not a terminal, when the CI
        environment variable is set, or with -NonInteractive.

        The session has PowerShell's core cmdlets (Where-Object, ForEach-Object,
        Get-Command, Import-Module, ...), the WpBackup cmdlets, and wpbackup's own
        Write-Output, Write-Error, Write-Warning, Write-Verbose, Write-Debug,
        Write-Information, Write-Host, Write-Progress and Read-Host. Other cmdlets of
        pwsh's Utility and Management modules (Select-Object, Format-Table,
        Get-ChildItem, ...) are not available: use .NET instead, e.g.
        [IO.File]::Exists($path) or [IO.Directory]::GetFiles($dir).

        Exit codes (as pwsh -Command / -File):
          N    the script ran 'exit N'
          0    the script finished and its last statement succeeded ($? was $true)
          1    a terminating error stopped the script (throw, -ErrorAction Stop, a
               parse error), or its last statement failed ($? was $false, e.g. it
               wrote an error); errors from earlier statements alone do not fail the
               run: end with 'exit 1' or use $ErrorActionPreference = 'Stop'
          64   bad command line, or the script file does not exist
          130  stopped by Ctrl+C
        """;

    public static string VersionText()
    {
        return $"wpbackup {InformationalVersion(typeof(Usage).Assembly)} (PowerShell {InformationalVersion(typeof(System.Management.Automation.PSObject).Assembly)})";
    }

    private static string InformationalVersion(Assembly assembly)
    {
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        int cut = version.IndexOfAny(['+', ' ']);
        return cut > 0 ? version[..cut] : version;
    }
}
