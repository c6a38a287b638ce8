using WpBackup.Shell;
using WpBackup.Shell.Hosting;
using WpBackup.Shell.Running;

ShellOptions options;
try
{
    options = CommandLine.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"wpbackup: {e.Message}");
    Console.Error.WriteLine("Run 'wpbackup -Help' for usage.");
    return ScriptRunner.ExitUsage;
}

switch (options.Mode)
{
    case ShellMode.Help:
        Console.Out.WriteLine(Usage.Text);
        return 0;
    case ShellMode.Version:
        Console.Out.WriteLine(Usage.VersionText());
        return 0;
}

var terminal = new Terminal(options.NonInteractive);
var runner = new ScriptRunner(new ShellHost(terminal), terminal);

// Ctrl+C stops the running pipeline; a second Ctrl+C, or one while a prompt waits for input,
// ends the process.
Console.CancelKeyPress += (_, e) => e.Cancel = !runner.IsReadingInput && runner.Stop();

return runner.Run(options);
