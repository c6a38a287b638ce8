using System.Globalization;
using System.Management.Automation.Host;

namespace WpBackup.Shell.Hosting;

/// <summary>
/// The PowerShell host of <c>wpbackup</c>: gives the engine a console user interface and records
/// <c>exit N</c> (SetShouldExit) so the process can end with that code.
/// </summary>
internal sealed class ShellHost : PSHost
{
    private readonly object _exitGate = new();
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;
    private readonly ShellHostUserInterface _ui;
    private int? _exitCode;

    public ShellHost(Terminal terminal)
    {
        _ui = new ShellHostUserInterface(terminal);
    }

    public override string Name => "wpbackup";

    public override Version Version { get; } = typeof(ShellHost).Assembly.GetName().Version ?? new Version(0, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    internal ShellHostUserInterface ShellUI => _ui;

    public override CultureInfo CurrentCulture => _culture;

    public override CultureInfo CurrentUICulture => _uiCulture;

    /// <summary>The code passed to <c>exit</c>, or null when the script did not call it.</summary>
    public int? ExitCode
    {
        get
        {
            lock (_exitGate)
            {
                return _exitCode;
            }
        }
    }

    public override void SetShouldExit(int exitCode)
    {
        lock (_exitGate)
        {
            _exitCode = exitCode;
        }
    }

    public override void EnterNestedPrompt() =>
        throw new NotSupportedException("wpbackup runs scripts only; it has no interactive prompt to suspend to.");

    public override void ExitNestedPrompt() =>
        throw new NotSupportedException("wpbackup runs scripts only; it has no nested prompt to exit.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }
}
