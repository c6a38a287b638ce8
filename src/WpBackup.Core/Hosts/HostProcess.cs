namespace WpBackup.Core.Hosts;

/// <summary>A running program on a host, with its standard streams.</summary>
public abstract class HostProcess : IDisposable
{
    /// <summary>What runs, for messages: the program's name, or what a script does.</summary>
    public abstract string Name { get; }
    public abstract Stream StandardInput { get; }
    public abstract Stream StandardOutput { get; }

    /// <summary>Waits for the program to end; returns its exit code and what it wrote to stderr.</summary>
    public abstract (int ExitCode, string StandardError) WaitForExit();

    public abstract void Kill();
    public abstract void Dispose();
}
