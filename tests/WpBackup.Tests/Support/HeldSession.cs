using System.Diagnostics;
using WpBackup.Sandbox;

namespace WpBackup.Tests.Support;

/// <summary>
/// A connection to a MariaDB server that the test holds open (as the server's superuser over its
/// socket, or with a client option file's login): a real client process fed statements on its stdin.
/// <see cref="Run"/> returns once the server has answered, so what a statement does (a lock taken,
/// a setting changed) is in force then.
/// </summary>
public sealed class HeldSession : IDisposable
{
    private const string Answered = "held-session-answered";
    private readonly Process _client;

    /// <summary>Connects; returns once the server has answered a first statement, so the connection counts.</summary>
    /// <param name="optionFile">A [client] option file to log in with (<see cref="ClientOptionFile"/>); the superuser when null.</param>
    public HeldSession(MariaDbServer server, string? optionFile = null)
    {
        var info = new ProcessStartInfo(server.Tools.Client)
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        string[] login = optionFile is null
            ? ["--no-defaults", $"--socket={server.SocketPath}", $"--user={server.AdminUser}"]
            : [$"--defaults-file={optionFile}"];
        foreach (var argument in login.Concat(["--batch", "--skip-column-names", "--unbuffered"]))
            info.ArgumentList.Add(argument);
        _client = Process.Start(info)!;
        Run("DO 1");
    }

    /// <summary>Sends statements on this connection and waits for the server's answer.</summary>
    public void Run(string sql)
    {
        _client.StandardInput.WriteLine($"{sql}; SELECT '{Answered}';");
        _client.StandardInput.Flush();
        string? line;
        while ((line = _client.StandardOutput.ReadLine()) != Answered)
        {
            if (line is null)
                throw new InvalidOperationException($"the held session ended: {_client.StandardError.ReadToEnd().Trim()}");
        }
    }

    /// <summary>Ends the connection and waits for the client to exit.</summary>
    public void Dispose()
    {
        _client.StandardInput.Close();
        if (!_client.WaitForExit(TimeSpan.FromSeconds(30)))
            _client.Kill();
        _client.Dispose();
    }
}
