using System.Management.Automation;
using System.Management.Automation.Runspaces;
using WpBackup.Shell.Hosting;

namespace WpBackup.Shell.Running;

/// <summary>Imports the WpBackup module that the build copies next to the wpbackup executable.</summary>
internal static class ModuleLoader
{
    public const string ManifestName = "WpBackup.psd1";

    public static string ManifestPath => Path.Combine(AppContext.BaseDirectory, ManifestName);

    /// <summary>
    /// Imports the module into the global scope. When it is missing or fails to load, says so on
    /// standard error and lets the script run without it (its WpBackup commands will then fail).
    /// </summary>
    public static void Import(Runspace runspace, ShellHostUserInterface ui, Terminal terminal)
    {
        string manifest = ManifestPath;
        if (!File.Exists(manifest))
        {
            terminal.Error(
                $"wpbackup: the WpBackup module is not installed next to wpbackup ({manifest} is missing); running without it.\n",
                ConsoleColor.Red);
            return;
        }

        using PowerShell powerShell = PowerShell.Create();
        powerShell.Runspace = runspace;
        powerShell.AddCommand("Import-Module")
            .AddParameter("Name", manifest)
            .AddParameter("ErrorAction", ActionPreference.Stop);
        try
        {
            powerShell.Invoke();
        }
        catch (RuntimeException e)
        {
            ErrorReporter.Report(runspace, ui, terminal, e.ErrorRecord);
            terminal.Error($"wpbackup: could not import the WpBackup module from {manifest}; running without it.\n", ConsoleColor.Red);
        }
    }
}
