using System.Management.Automation;
using System.Management.Automation.Runspaces;
using WpBackup.Shell.Commands;
using WpBackup.Shell.Hosting;

namespace WpBackup.Shell.Running;

/// <summary>
/// Opens a runspace on the wpbackup host, imports the WpBackup module, runs the script piped to
/// Out-Default and turns the outcome into a process exit code the way pwsh does.
/// </summary>
internal sealed class ScriptRunner(ShellHost host, Terminal terminal)
{
    public const int ExitUsage = 64;
    public const int ExitStopped = 130;

    private readonly object _gate = new();
    private PowerShell? _running;
    private volatile bool _stopRequested;

    /// <summary>True while a prompt waits for the user.</summary>
    public bool IsReadingInput => host.ShellUI.IsReadingInput;

    public bool StopRequested => _stopRequested;

    public int Run(ShellOptions options)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        StreamCommands.AddMissing(state);
        using Runspace runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.ThreadOptions = PSThreadOptions.ReuseThread;
        runspace.Open();

        if (!options.NoModule)
        {
            ModuleLoader.Import(runspace, host.ShellUI, terminal);
        }

        using PowerShell powerShell = PowerShell.Create();
        powerShell.Runspace = runspace;
        try
        {
            if (options.Mode == ShellMode.File)
            {
                ScriptSource.AddFile(powerShell, options.FilePath!, options.FileArguments);
            }
            else
            {
                string text = options.CommandText == "-" ? Console.In.ReadToEnd() : options.CommandText!;
                ScriptSource.AddCommandText(powerShell, text);
            }
        }
        catch (ScriptNotFoundException e)
        {
            terminal.Error(e.Message + "\n", ConsoleColor.Red);
            return ExitUsage;
        }
        catch (ParseException e)
        {
            ErrorReporter.Report(runspace, host.ShellUI, terminal, e.ErrorRecord);
            return 1;
        }

        return Invoke(runspace, powerShell);
    }

    /// <summary>Stops the running script (Ctrl+C). Returns false when there is nothing to stop.</summary>
    public bool Stop()
    {
        lock (_gate)
        {
            if (_running is null || _stopRequested)
            {
                return false;
            }

            _stopRequested = true;
            _running.BeginStop(null, null);
            return true;
        }
    }

    private int Invoke(Runspace runspace, PowerShell powerShell)
    {
        // Errors are merged into the output so Out-Default shows them in PowerShell's error view
        // (on standard error, through WriteErrorLine), as pwsh does.
        powerShell.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        var status = new LastStatus();
        powerShell.AddCommand(new CmdletInfo("Save-WpBackupShellStatus", typeof(LastStatusCommand))).AddParameter("Status", status);
        powerShell.AddCommand("Out-Default");

        bool terminated = false;
        lock (_gate)
        {
            _running = powerShell;
        }

        try
        {
            powerShell.Invoke();
        }
        catch (PipelineStoppedException) when (_stopRequested)
        {
        }
        catch (RuntimeException e)
        {
            terminated = true;
            ErrorReporter.Report(runspace, host.ShellUI, terminal, e.ErrorRecord);
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
            }

            terminal.Progress.Reset();
        }

        if (host.ExitCode is int exitCode)
        {
            return exitCode;
        }

        if (_stopRequested)
        {
            return ExitStopped;
        }

        if (terminated)
        {
            return 1;
        }

        return (status.Succeeded ?? !powerShell.HadErrors) ? 0 : 1;
    }
}
