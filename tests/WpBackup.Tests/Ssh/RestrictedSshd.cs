using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;

namespace WpBackup.Tests.Ssh;

/// <summary>
/// A second real sshd with the fixture's host keys, users and settings but extra global lines
/// (e.g. <c>Ciphers aes256-ctr</c>), on its own port, with a known_hosts file for that port.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class RestrictedSshd : IDisposable
{
    private static readonly TimeSpan ReadinessDeadline = TimeSpan.FromSeconds(20);
    private readonly Process _sshd;

    public RestrictedSshd(SshdFixture fixture, params string[] extraGlobalLines)
    {
        var directory = fixture.NewScratchDirectory("restricted-sshd");
        LogPath = Path.Combine(directory, "sshd.log");
        Port = FreePort();
        var config = new StringBuilder();
        foreach (var line in File.ReadAllLines(fixture.ConfigPath))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("Match ", StringComparison.Ordinal))
                config.AppendJoin('\n', extraGlobalLines).Append('\n'); // global keywords must come before the first Match block
            config.Append(trimmed.StartsWith("Port ", StringComparison.Ordinal) ? $"Port {Port}"
                : trimmed.StartsWith("PidFile ", StringComparison.Ordinal) ? $"PidFile {Path.Combine(directory, "sshd.pid")}"
                : line).Append('\n');
        }

        var configPath = Path.Combine(directory, "sshd_config");
        File.WriteAllText(configPath, config.ToString());
        ExternalTool.Check("/usr/sbin/sshd", "-t", "-f", configPath);
        KnownHostsPath = Path.Combine(directory, "known_hosts");
        File.WriteAllText(KnownHostsPath, $"[127.0.0.1]:{Port} {fixture.HostKey.ToOpenSshString()}\n");

        var start = new ProcessStartInfo("/usr/sbin/sshd") { UseShellExecute = false };
        foreach (var argument in new[] { "-D", "-f", configPath, "-E", LogPath })
            start.ArgumentList.Add(argument);
        _sshd = Process.Start(start) ?? throw new InvalidOperationException("could not start sshd");
        try
        {
            WaitUntilReady();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    public string KnownHostsPath { get; }

    public string LogPath { get; }

    public void Dispose()
    {
        if (!_sshd.HasExited)
            _sshd.Kill(entireProcessTree: true);
        _sshd.WaitForExit();
        _sshd.Dispose();
    }

    // Readiness: a TCP connect that yields the SSH banner, polled until a deadline (as SshdFixture does).
    private void WaitUntilReady()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_sshd.HasExited)
                throw new InvalidOperationException($"sshd exited with {_sshd.ExitCode}: {File.ReadAllText(LogPath)}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                client.ReceiveTimeout = 5000;
                var buffer = new byte[64];
                var read = client.GetStream().Read(buffer, 0, buffer.Length);
                if (read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("SSH-2.0-", StringComparison.Ordinal))
                    return;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
            }

            if (clock.Elapsed > ReadinessDeadline)
                throw new TimeoutException($"sshd not ready on port {Port} after {ReadinessDeadline}");
            _sshd.WaitForExit(50); // returns early if sshd dies; paces the poll otherwise
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
