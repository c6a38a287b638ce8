using Renci.SshNet;
using Renci.SshNet.Common;
using WpBackup.Core.Errors;
using WpBackup.Core.Threading;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>A command running on a server over one SSH exec channel, with its streams.</summary>
internal sealed class SshHostProcess : HostProcess
{
    private const int MaxStandardError = 64 << 10;
    private readonly SshCommand _command;
    private readonly BoundedPipeStream _output;
    private readonly IAsyncResult _running;
    private Stream? _input;
    private readonly Task<string> _stderr;
    private readonly string _server;

    /// <param name="name">What runs, for messages: "'mariadb-dump'", "tar (archiving the files of '/srv/www')".</param>
    public SshHostProcess(SshClient client, string commandLine, string name, string server)
    {
        Name = name;
        _server = server;
        _command = client.CreateCommand(commandLine);
        _output = BoundedPipeStream.ReplaceOutput(_command);
        _running = _command.BeginExecute();
        _stderr = BlockingWork.Start(() => ReadCapped(_command.ExtendedOutputStream));
    }

    public override string Name { get; }
    /// <summary>Opened on first use: SSH.NET refuses an input stream for a command that already ended.</summary>
    public override Stream StandardInput => _input ??= OpenInput();
    public override Stream StandardOutput => _output;

    public override (int ExitCode, string StandardError) WaitForExit()
    {
        try
        {
            // Closing stdin sends EOF; a command that reads it would otherwise wait forever.
            StandardInput.Dispose();
            // Output not read by now is not wanted; dropping it lets the receiving thread reach the channel's end.
            _output.Abandon();
            _command.EndExecute(_running);
        }
        catch (Exception e) when (e is SshConnectionException or SshException or ObjectDisposedException or InvalidOperationException)
        {
            throw new TransportException("SshConnectionLost",
                $"The SSH connection to {_server} dropped while {Name} was running there: {e.Message}", e);
        }
        // A command killed by a signal has no exit status.
        return (_command.ExitStatus ?? 128, _stderr.GetAwaiter().GetResult());
    }

    public override void Kill()
    {
        _output.Abandon();
        try { _command.CancelAsync(forceKill: true); }
        catch (Exception e) when (e is InvalidOperationException or SshException or ObjectDisposedException) { }
    }

    public override void Dispose()
    {
        _output.Abandon();
        if (!_running.IsCompleted)
            Kill();
        _command.Dispose();
    }

    private Stream OpenInput()
    {
        try
        {
            return _command.CreateInputStream();
        }
        catch (InvalidOperationException) when (_running.IsCompleted)
        {
            return Stream.Null; // the command ended without reading its input
        }
    }

    private static string ReadCapped(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var buffer = new char[4096];
        var text = new System.Text.StringBuilder();
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (text.Length < MaxStandardError)
                text.Append(buffer, 0, Math.Min(read, MaxStandardError - text.Length));
        }
        return text.ToString();
    }
}
