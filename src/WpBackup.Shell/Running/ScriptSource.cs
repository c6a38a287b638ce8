using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;

namespace WpBackup.Shell.Running;

/// <summary>Thrown when the -File script does not exist.</summary>
internal sealed class ScriptNotFoundException(string message) : Exception(message);

/// <summary>Puts the script named on the command line at the head of a pipeline.</summary>
internal static class ScriptSource
{
    // Calls the script's function with the command-line arguments. Splatting $args keeps
    // '-Name' arguments as parameter names, as when the script is called from PowerShell.
    private const string ScriptParameter = "__WpBackupShellScript";
    private const string FileRunner = "param([System.Management.Automation.CommandInfo] $" + ScriptParameter + ") & $" + ScriptParameter + " @args";

    /// <summary>-Command: the text runs in the global scope, as with pwsh -Command.</summary>
    /// <exception cref="ParseException">The text has syntax errors (checked first, so that even
    /// incomplete input is reported with its position).</exception>
    public static void AddCommandText(PowerShell powerShell, string text)
    {
        Parser.ParseInput(text, out _, out ParseError[] errors);
        if (errors.Length > 0)
        {
            throw new ParseException(errors);
        }

        powerShell.AddScript(text);
    }

    /// <summary>
    /// -File: the file is parsed here (so errors and $PSScriptRoot/$PSCommandPath name it) and its
    /// script block is defined as a function named after the file, then called with the
    /// command-line arguments. Run that way, <c>exit N</c> in the script reaches the host and sets
    /// the exit code (a script file run as a command would only set $LASTEXITCODE), and errors
    /// are prefixed with the script's name as in pwsh.
    /// </summary>
    /// <exception cref="ScriptNotFoundException">The file does not exist.</exception>
    /// <exception cref="ParseException">The file has syntax errors.</exception>
    public static void AddFile(PowerShell powerShell, string path, IEnumerable<CommandParameter> arguments)
    {
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ScriptNotFoundException(
                $"The argument '{path}' is not recognized as the name of a script file. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.");
        }

        ScriptBlockAst ast = Parser.ParseFile(fullPath, out _, out ParseError[] errors);
        if (errors.Length > 0)
        {
            throw new ParseException(errors);
        }

        // A name ending in .ps1 cannot hide a command the script calls (New-WpBackup, say).
        string name = Path.GetFileName(fullPath);
        if (!name.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase))
        {
            name += ".ps1";
        }

        var state = powerShell.Runspace.SessionStateProxy;
        state.InvokeProvider.Item.Set([@"function:\" + name], ast.GetScriptBlock(), force: true, literalPath: true);
        var function = (FunctionInfo)state.InvokeCommand.GetCommand(name, CommandTypes.Function);
        powerShell.AddScript(FileRunner, useLocalScope: true).AddParameter(ScriptParameter, function);
        Command command = powerShell.Commands.Commands[^1];
        foreach (CommandParameter argument in arguments)
        {
            command.Parameters.Add(argument);
        }
    }
}
