using System.Management.Automation.Runspaces;

namespace WpBackup.Shell;

/// <summary>What to run, as read from the command line.</summary>
internal enum ShellMode
{
    Command,
    File,
    Help,
    Version,
}

/// <summary>The parsed command line of <c>wpbackup</c>.</summary>
internal sealed class ShellOptions
{
    public ShellMode Mode { get; init; }

    /// <summary>Script text for <c>-Command</c>; <c>"-"</c> means read it from standard input.</summary>
    public string? CommandText { get; init; }

    /// <summary>Script path for <c>-File</c>, as given.</summary>
    public string? FilePath { get; init; }

    /// <summary>Arguments for the <c>-File</c> script, shaped like pwsh passes them.</summary>
    public IReadOnlyList<CommandParameter> FileArguments { get; init; } = [];

    public bool NoModule { get; init; }

    public bool NonInteractive { get; init; }
}
