using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace WpBackup.Shell.Hosting;

/// <summary>
/// Where the engine's text goes: formatted output to standard output; errors, warnings, verbose
/// and debug lines to standard error; progress to the progress line; prompts to <see cref="Prompter"/>.
/// </summary>
internal sealed class ShellHostUserInterface : PSHostUserInterface
{
    private readonly Terminal _terminal;
    private readonly ShellRawUserInterface _rawUI;
    private readonly Prompter _prompter;

    public ShellHostUserInterface(Terminal terminal)
    {
        _terminal = terminal;
        _rawUI = new ShellRawUserInterface(terminal);
        _prompter = new Prompter(terminal);
    }

    public override PSHostRawUserInterface RawUI => _rawUI;

    public override bool SupportsVirtualTerminal => _terminal.OutIsTerminal || _terminal.ErrorIsTerminal;

    /// <summary>True while a prompt waits for the user (Ctrl+C then ends the process).</summary>
    internal bool IsReadingInput => _prompter.IsReading;

    /// <summary>
    /// While set, formatted output lines are written to standard error: used to print a
    /// terminating error through PowerShell's own error view.
    /// </summary>
    internal bool OutputIsError { get; set; }

    public override void Write(string value) => WriteOut(value, null, null);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
        WriteOut(
            value,
            foregroundColor == _rawUI.ForegroundColor ? null : foregroundColor,
            backgroundColor == _rawUI.BackgroundColor ? null : backgroundColor);

    public override void WriteLine(string value) => WriteOut(value + "\n", null, null);

    public override void WriteErrorLine(string value) =>
        _terminal.Error(value + "\n", value.Contains('\e') ? null : ConsoleColor.Red);

    public override void WriteWarningLine(string message) => _terminal.Error("WARNING: " + message + "\n", ConsoleColor.Yellow);

    public override void WriteVerboseLine(string message) => _terminal.Error("VERBOSE: " + message + "\n", ConsoleColor.Yellow);

    public override void WriteDebugLine(string message) => _terminal.Error("DEBUG: " + message + "\n", ConsoleColor.Yellow);

    public override void WriteProgress(long sourceId, ProgressRecord record) => _terminal.Progress.Update(sourceId, record);

    public override string ReadLine() => _prompter.ReadLine();

    public override SecureString ReadLineAsSecureString() => _prompter.ReadSecret();

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
        _prompter.PromptFields(caption, message, descriptions);

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
        _prompter.PromptForChoice(caption, message, choices, defaultChoice);

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        _prompter.PromptForCredential(caption, message, userName);

    public override PSCredential PromptForCredential(
        string caption,
        string message,
        string userName,
        string targetName,
        PSCredentialTypes allowedCredentialTypes,
        PSCredentialUIOptions options) =>
        _prompter.PromptForCredential(caption, message, userName);

    private void WriteOut(string value, ConsoleColor? foreground, ConsoleColor? background)
    {
        if (OutputIsError)
        {
            _terminal.Error(value, value.Contains('\e') ? null : ConsoleColor.Red);
        }
        else
        {
            _terminal.Out(value, foreground, background);
        }
    }
}
