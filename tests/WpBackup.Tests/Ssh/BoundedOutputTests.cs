using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Tests.Ssh;

/// <summary>
/// A command's output waits in a bounded buffer (SSH.NET alone keeps up to 2 GiB per channel): a
/// server that sends faster than it is read is held back, nothing is lost, and the connection
/// never deadlocks on a buffer nobody reads.
/// </summary>
[Collection("sshd")]
[SupportedOSPlatform("linux")]
public sealed class BoundedOutputTests(SshdFixture sshd)
{
    private const int Bytes = 96 << 20;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>A connection of the test's own, not the process's shared one, which tests of other collections close.</summary>
    private SshHost Host()
    {
        var knownHosts = Path.Combine(sshd.NewScratchDirectory("bounded"), "known_hosts");
        File.WriteAllText(knownHosts, sshd.KnownHostsLine + "\n");
        var target = new SshTarget
        {
            ComputerName = sshd.Host, HostName = sshd.Host, Port = sshd.Port, UserName = sshd.UserName,
            KeyFiles = [sshd.Ed25519KeyPath], KeyFilesExplicit = true, KnownHostsName = sshd.Host, KnownHostsFiles = [knownHosts],
        };
        return new SshHost(target, SshConnector.Connect(target, _ => { }));
    }

    [Fact]
    public void Output_not_read_fills_the_bound_and_no_more_and_then_arrives_whole()
    {
        using var host = Host();
        using var command = host.Start("sh", ["-c", $"yes 0123456789abcdef | head -c {Bytes}"]);
        var output = Assert.IsType<BoundedPipeStream>(command.StandardOutput);

        // Nothing is read yet: the server's 96 MiB wait behind a full buffer.
        var clock = Stopwatch.StartNew();
        long buffered;
        while ((buffered = output.Length) < BoundedPipeStream.Capacity)
        {
            Assert.True(clock.Elapsed < Deadline, $"the buffer never filled: {buffered} bytes after {clock.Elapsed}");
            Thread.Sleep(5); // polling a condition; its value, not the delay, ends the wait
        }
        Assert.InRange(buffered, BoundedPipeStream.Capacity, BoundedPipeStream.Capacity + (64 << 10));

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[1 << 16];
        long total = 0, most = 0;
        int read;
        while ((read = output.Read(chunk, 0, chunk.Length)) > 0)
        {
            sha.AppendData(chunk, 0, read);
            total += read;
            most = Math.Max(most, output.Length);
        }
        var (exit, error) = command.WaitForExit();

        Assert.True(exit == 0, error);
        Assert.Equal(Bytes, total);
        Assert.InRange(most, 0, BoundedPipeStream.Capacity + (64 << 10));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Expected(Bytes))), Convert.ToHexString(sha.GetHashAndReset()));
    }

    [Fact]
    public void A_script_fed_and_answering_more_than_the_buffers_hold_completes()
    {
        var input = Expected(24 << 20);
        using var host = Host();
        var run = Task.Run(() => host.RunScript("cat", [], "cat (echoing its input)", input));

        Assert.True(run.Wait(Deadline), "feeding 24 MiB to cat while it answers deadlocked");
        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal(input.Length, run.Result.Output.Length);
        Assert.True(input.AsSpan().SequenceEqual(run.Result.Output), "cat's answer differs from its input");
    }

    [Fact]
    public void Waiting_for_a_command_whose_output_nobody_reads_ends()
    {
        using var host = Host();
        using var command = host.Start("sh", ["-c", $"head -c {Bytes} /dev/zero"]);
        var wait = Task.Run(command.WaitForExit);

        Assert.True(wait.Wait(Deadline), "waiting for a command with 96 MiB of unread output never ended");
        Assert.Equal(0, wait.Result.ExitCode);
    }

    private static byte[] Expected(int length)
    {
        var line = Encoding.ASCII.GetBytes("0123456789abcdef\n");
        var data = new byte[length];
        for (var i = 0; i < length; i += line.Length)
            line.AsSpan(0, Math.Min(line.Length, length - i)).CopyTo(data.AsSpan(i));
        return data;
    }
}
