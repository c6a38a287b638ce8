using System.Text.RegularExpressions;

namespace WpBackup.Shell.Hosting;

/// <summary>
/// The process's standard streams: which of them are terminals, and writing text to them with
/// colour on a terminal and plain text (escape sequences removed) everywhere else, so logs stay clean.
/// </summary>
internal sealed partial class Terminal
{
    private readonly bool _noColour;

    /// <summary>One lock for every write, shared with the progress line so text never interleaves.</summary>
    internal object SyncRoot { get; } = new();

    public Terminal(bool nonInteractive)
    {
        bool dumb = string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        _noColour = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        OutIsTerminal = !Console.IsOutputRedirected && !dumb;
        ErrorIsTerminal = !Console.IsErrorRedirected && !dumb;
        NotInteractiveReason = nonInteractive ? "-NonInteractive was given"
            : Console.IsInputRedirected ? "standard input is not a terminal"
            : IsCi() ? "the CI environment variable is set"
            : null;
        Progress = new ProgressRenderer(this);
    }

    /// <summary>True when standard output is a terminal that understands escape sequences.</summary>
    public bool OutIsTerminal { get; }

    /// <summary>True when standard error is a terminal that understands escape sequences.</summary>
    public bool ErrorIsTerminal { get; }

    /// <summary>True when a person can answer prompts on standard input.</summary>
    public bool IsInteractive => NotInteractiveReason is null;

    /// <summary>Why nobody can answer a prompt, or null when someone can.</summary>
    public string? NotInteractiveReason { get; }

    public ProgressRenderer Progress { get; }

    /// <summary>Columns for formatted output: the terminal's width, else $COLUMNS, else 120.</summary>
    public int Width
    {
        get
        {
            if (OutIsTerminal || ErrorIsTerminal)
            {
                try
                {
                    int width = Console.WindowWidth;
                    if (width > 0)
                    {
                        return width;
                    }
                }
                catch (IOException)
                {
                }
            }

            return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 0 ? columns : 120;
        }
    }

    public int Height
    {
        get
        {
            try
            {
                return OutIsTerminal && Console.WindowHeight > 0 ? Console.WindowHeight : 50;
            }
            catch (IOException)
            {
                return 50;
            }
        }
    }

    public void Out(string text, ConsoleColor? foreground = null, ConsoleColor? background = null) =>
        Write(Console.Out, OutIsTerminal, text, foreground, background);

    public void Error(string text, ConsoleColor? foreground = null) =>
        Write(Console.Error, ErrorIsTerminal, text, foreground, null);

    /// <summary>Writes a raw control sequence to standard error (progress line), terminal only.</summary>
    public void ErrorControl(string sequence)
    {
        lock (SyncRoot)
        {
            Console.Error.Write(sequence);
            Console.Error.Flush();
        }
    }

    private void Write(TextWriter writer, bool isTerminal, string text, ConsoleColor? foreground, ConsoleColor? background)
    {
        lock (SyncRoot)
        {
            Progress.ClearLine();
            if (!isTerminal || _noColour)
            {
                writer.Write(StripEscapes(text));
            }
            else if (foreground is null && background is null)
            {
                writer.Write(text);
            }
            else
            {
                // Colour each line separately so a newline never carries the background colour.
                string[] lines = text.Split('\n');
                for (int i = 0; i < lines.Length; i++)
                {
                    if (lines[i].Length > 0)
                    {
                        writer.Write(Sgr(foreground, background) + lines[i] + "\e[0m");
                    }

                    if (i < lines.Length - 1)
                    {
                        writer.Write('\n');
                    }
                }
            }

            writer.Flush();
        }
    }

    public static string StripEscapes(string text) => text.Contains('\e') ? EscapeSequence().Replace(text, string.Empty) : text;

    private static string Sgr(ConsoleColor? foreground, ConsoleColor? background)
    {
        var codes = new List<int>(2);
        if (foreground is { } fg && (int)fg >= 0)
        {
            codes.Add(ColourCode(fg));
        }

        if (background is { } bg && (int)bg >= 0)
        {
            codes.Add(ColourCode(bg) + 10);
        }

        return codes.Count == 0 ? string.Empty : $"\e[{string.Join(';', codes)}m";
    }

    private static int ColourCode(ConsoleColor colour) => colour switch
    {
        ConsoleColor.Black => 30,
        ConsoleColor.DarkRed => 31,
        ConsoleColor.DarkGreen => 32,
        ConsoleColor.DarkYellow => 33,
        ConsoleColor.DarkBlue => 34,
        ConsoleColor.DarkMagenta => 35,
        ConsoleColor.DarkCyan => 36,
        ConsoleColor.Gray => 37,
        ConsoleColor.DarkGray => 90,
        ConsoleColor.Red => 91,
        ConsoleColor.Green => 92,
        ConsoleColor.Yellow => 93,
        ConsoleColor.Blue => 94,
        ConsoleColor.Magenta => 95,
        ConsoleColor.Cyan => 96,
        _ => 97,
    };

    private static bool IsCi()
    {
        string? ci = Environment.GetEnvironmentVariable("CI");
        return !string.IsNullOrEmpty(ci) && !ci.Equals("false", StringComparison.OrdinalIgnoreCase) && ci != "0";
    }

    // CSI sequences (colours, cursor moves) and OSC sequences (titles, links).
    [GeneratedRegex(@"\e\[[0-?]*[ -/]*[@-~]|\e\][^\a\e]*(\a|\e\\)|\e[@-Z\\-_]")]
    private static partial Regex EscapeSequence();
}
