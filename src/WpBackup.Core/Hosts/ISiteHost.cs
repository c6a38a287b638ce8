namespace WpBackup.Core.Hosts;

/// <summary>
/// Where a site lives: this machine or a server reached over SSH. Backup and restore code is
/// written once against this seam; implementations differ in how a command runs and how bytes move.
/// </summary>
public interface ISiteHost : IDisposable
{
    /// <summary>"localhost" for this machine, the server's name otherwise.</summary>
    string ComputerName { get; }

    /// <summary>Starts a program (no shell involved) with stdin, stdout and stderr piped.</summary>
    HostProcess Start(string program, IReadOnlyList<string> arguments);

    /// <summary>
    /// Writes content into a new file readable by the owner only (0600) and returns a handle
    /// that deletes it when disposed. For secrets handed to client tools, never via argv.
    /// </summary>
    PrivateFile CreatePrivateFile(string content);

    /// <summary>The first of the given program names found on the host's PATH, or null.</summary>
    string? FindProgram(params string[] names);
}
