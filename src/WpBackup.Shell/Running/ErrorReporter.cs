using System.Management.Automation;
using System.Management.Automation.Runspaces;
using WpBackup.Shell.Hosting;

namespace WpBackup.Shell.Running;

/// <summary>
/// Prints an error that ended the script (a terminating error or a parse error) on standard
/// error through PowerShell's own error view ($ErrorView, ConciseView by default).
/// </summary>
internal static class ErrorReporter
{
    public static void Report(Runspace runspace, ShellHostUserInterface ui, Terminal terminal, ErrorRecord record)
    {
        ui.OutputIsError = true;
        try
        {
            using PowerShell powerShell = PowerShell.Create();
            powerShell.Runspace = runspace;
            powerShell.AddCommand("Out-Default");
            powerShell.Invoke(new[] { new PSObject(record) });
        }
        catch (Exception e) when (e is RuntimeException or InvalidRunspaceStateException)
        {
            terminal.Error(record + "\n", ConsoleColor.Red);
        }
        finally
        {
            ui.OutputIsError = false;
        }
    }
}
