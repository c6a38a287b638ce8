using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace WpBackup.Tests.Formatting;

/// <summary>
/// A PowerShell host whose console is a string: what Out-Default writes (through PowerShell's own
/// formatting and the module's format views) ends up in <see cref="Text"/>. Never prompts.
/// </summary>
internal sealed class TextHost : PSHost
{
    private readonly TextUserInterface _ui = new();

    /// <summary>What was written, without the ANSI colour sequences PowerShell puts around list labels and headers.</summary>
    public string Text => System.Text.RegularExpressions.Regex.Replace(_ui.Output.ToString(), "\u001b\\[[0-9;]*m", "");

    public override string Name => "WpBackupTests";
    public override Version Version { get; } = new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class TextUserInterface : PSHostUserInterface
    {
        public StringBuilder Output { get; } = new();
        public override PSHostRawUserInterface RawUI { get; } = new TextRawUserInterface();
        public override void Write(string value) => Output.Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Output.Append(value);
        public override void WriteLine(string value) => Output.Append(value).Append('\n');
        public override void WriteErrorLine(string value) => Output.Append("ERROR: ").Append(value).Append('\n');
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
        public override string ReadLine() => throw new NotSupportedException("the test host does not prompt");
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("the test host does not prompt");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("the test host does not prompt");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("the test host does not prompt");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("the test host does not prompt");
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("the test host does not prompt");
    }

    private sealed class TextRawUserInterface : PSHostRawUserInterface
    {
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Coordinates CursorPosition { get; set; }
        public override Coordinates WindowPosition { get; set; }
        public override int CursorSize { get; set; }
        public override Size BufferSize { get; set; } = new(160, 1000);
        public override Size WindowSize { get; set; } = new(160, 50);
        public override Size MaxWindowSize => new(160, 50);
        public override Size MaxPhysicalWindowSize => new(160, 50);
        public override bool KeyAvailable => false;
        public override string WindowTitle { get; set; } = "";
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void FlushInputBuffer() { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    }
}
