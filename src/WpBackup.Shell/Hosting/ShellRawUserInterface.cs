using System.Management.Automation.Host;

namespace WpBackup.Shell.Hosting;

/// <summary>
/// The console geometry and key input the engine asks for. Sizes come from the terminal (or
/// $COLUMNS, or 120 columns when output is redirected); screen-buffer access is not supported.
/// </summary>
internal sealed class ShellRawUserInterface(Terminal terminal) : PSHostRawUserInterface
{
    private string _title = "wpbackup";

    // (ConsoleColor)(-1) means "the terminal's own colour", as in pwsh on Unix.
    public override ConsoleColor ForegroundColor { get; set; } = (ConsoleColor)(-1);

    public override ConsoleColor BackgroundColor { get; set; } = (ConsoleColor)(-1);

    public override Coordinates CursorPosition
    {
        get
        {
            if (terminal.OutIsTerminal && terminal.IsInteractive)
            {
                (int left, int top) = Console.GetCursorPosition();
                return new Coordinates(left, top);
            }

            return new Coordinates(0, 0);
        }

        set
        {
            if (terminal.OutIsTerminal)
            {
                Console.SetCursorPosition(value.X, value.Y);
            }
        }
    }

    public override int CursorSize { get; set; } = 25;

    public override Size BufferSize
    {
        get => new(terminal.Width, terminal.Height);
        set { }
    }

    public override Size WindowSize
    {
        get => new(terminal.Width, terminal.Height);
        set { }
    }

    public override Size MaxWindowSize => WindowSize;

    public override Size MaxPhysicalWindowSize => WindowSize;

    public override Coordinates WindowPosition
    {
        get => new(0, 0);
        set { }
    }

    public override string WindowTitle
    {
        get => _title;
        set => _title = value ?? string.Empty;
    }

    public override bool KeyAvailable => terminal.IsInteractive && Console.KeyAvailable;

    public override KeyInfo ReadKey(ReadKeyOptions options)
    {
        if (!terminal.IsInteractive)
        {
            throw Prompter.NotInteractive(terminal, "Cannot read a key press");
        }

        ConsoleKeyInfo key = Console.ReadKey(intercept: (options & ReadKeyOptions.NoEcho) != 0);
        var state = default(ControlKeyStates);
        if ((key.Modifiers & ConsoleModifiers.Shift) != 0)
        {
            state |= ControlKeyStates.ShiftPressed;
        }

        if ((key.Modifiers & ConsoleModifiers.Control) != 0)
        {
            state |= ControlKeyStates.LeftCtrlPressed;
        }

        if ((key.Modifiers & ConsoleModifiers.Alt) != 0)
        {
            state |= ControlKeyStates.LeftAltPressed;
        }

        return new KeyInfo((int)key.Key, key.KeyChar, state, keyDown: true);
    }

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
        throw new NotSupportedException("wpbackup cannot read the screen buffer.");

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) =>
        throw new NotSupportedException("wpbackup cannot write the screen buffer.");

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
    {
        // Clear-Host passes a rectangle of -1s: clear the screen when there is one.
        if (rectangle is { Left: -1, Top: -1, Right: -1, Bottom: -1 } && terminal.OutIsTerminal)
        {
            terminal.Out("\e[2J\e[3J\e[H");
        }
    }

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) =>
        throw new NotSupportedException("wpbackup cannot scroll the screen buffer.");
}
