using System.Runtime.Versioning;
using System.Text;
using Renci.SshNet;
using WpBackup.Core.Errors;
using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Tests.Ssh;

/// <summary>
/// The connector offers ciphers and MACs in <see cref="SshAlgorithmPreference"/>'s order against the
/// real sshd: the fastest one in SSH.NET is negotiated when the server allows it, a server that allows
/// a single other one still works, and a server that allows only algorithms left out is refused clearly.
/// </summary>
[Collection("sshd")]
[SupportedOSPlatform("linux")]
public sealed class CipherNegotiationTests(SshdFixture sshd)
{
    [Fact]
    public void The_first_preferred_cipher_is_negotiated_where_SshNet_alone_would_pick_another()
    {
        var knownHosts = Path.Combine(sshd.NewScratchDirectory("kh"), "known_hosts");
        File.WriteAllText(knownHosts, sshd.KnownHostsLine + "\n");

        using (var plain = new SshClient(new ConnectionInfo(sshd.Host, sshd.Port, sshd.UserName,
                   new PrivateKeyAuthenticationMethod(sshd.UserName, new PrivateKeyFile(sshd.Ed25519KeyPath)))))
        {
            plain.HostKeyReceived += (_, e) => e.CanTrust = true;
            plain.Connect();
            Assert.NotEqual(SshAlgorithmPreference.Ciphers[0], plain.ConnectionInfo.CurrentClientEncryption);
        }

        using var client = SshConnector.Connect(Target(sshd.Port, knownHosts), _ => { });
        Assert.Equal("aes128-gcm@openssh.com", SshAlgorithmPreference.Ciphers[0]);
        Assert.Equal(SshAlgorithmPreference.Ciphers[0], client.ConnectionInfo.CurrentClientEncryption);
        Assert.Equal(SshAlgorithmPreference.Ciphers[0], client.ConnectionInfo.CurrentServerEncryption);
        AssertDataArrivesIntact(client);
    }

    public static TheoryData<string, string?> SingleAllowed => new()
    {
        { "aes256-ctr", "hmac-sha2-256" },
        { "aes128-ctr", "hmac-sha2-512-etm@openssh.com" },
        { "aes256-gcm@openssh.com", null },
        { "chacha20-poly1305@openssh.com", null },
    };

    [Theory]
    [MemberData(nameof(SingleAllowed))]
    public void A_server_that_allows_a_single_other_cipher_still_connects(string cipher, string? mac)
    {
        using var server = new RestrictedSshd(sshd, mac is null ? [$"Ciphers {cipher}"] : [$"Ciphers {cipher}", $"MACs {mac}"]);
        using var client = SshConnector.Connect(Target(server.Port, server.KnownHostsPath), _ => { });

        Assert.Equal(cipher, client.ConnectionInfo.CurrentClientEncryption);
        Assert.Equal(cipher, client.ConnectionInfo.CurrentServerEncryption);
        if (mac is not null)
        {
            Assert.Equal(mac, client.ConnectionInfo.CurrentClientHmacAlgorithm);
            Assert.Equal(mac, client.ConnectionInfo.CurrentServerHmacAlgorithm);
        }

        AssertDataArrivesIntact(client);
    }

    [Fact]
    public void A_server_that_allows_only_a_CBC_cipher_is_refused_with_the_ciphers_to_allow()
    {
        using var server = new RestrictedSshd(sshd, "Ciphers aes256-cbc");

        var e = Assert.Throws<TransportException>(() => SshConnector.Connect(Target(server.Port, server.KnownHostsPath), _ => { }));

        Assert.Equal("SshNoCommonCipher", e.ErrorId);
        Assert.Contains($"127.0.0.1:{server.Port}", e.Message);
        Assert.Contains("aes128-gcm@openssh.com", e.Message);
        Assert.Contains("'Ciphers'", e.Message);
        Assert.Contains("server offers aes256-cbc", e.Message);
        Assert.DoesNotContain("aes256-cbc", string.Join(' ', SshAlgorithmPreference.Ciphers));
    }

    [Fact]
    public void A_server_that_allows_only_a_MAC_SshNet_lacks_is_refused_with_the_MACs_to_allow()
    {
        using var server = new RestrictedSshd(sshd, "Ciphers aes128-ctr", "MACs umac-128-etm@openssh.com");

        var e = Assert.Throws<TransportException>(() => SshConnector.Connect(Target(server.Port, server.KnownHostsPath), _ => { }));

        Assert.Equal("SshNoCommonMac", e.ErrorId);
        Assert.Contains($"127.0.0.1:{server.Port}", e.Message);
        Assert.Contains("hmac-sha2-256-etm@openssh.com", e.Message);
        Assert.Contains("'MACs'", e.Message);
        Assert.Contains("server offers umac-128-etm@openssh.com", e.Message);
    }

    private SshTarget Target(int port, string knownHosts) => new()
    {
        ComputerName = sshd.Host,
        HostName = sshd.Host,
        Port = port,
        UserName = sshd.UserName,
        KeyFiles = [sshd.Ed25519KeyPath],
        KeyFilesExplicit = true,
        KnownHostsName = sshd.Host,
        KnownHostsFiles = [knownHosts],
    };

    // Several channel packets' worth, compared byte for byte with what the server generated.
    private static void AssertDataArrivesIntact(SshClient client)
    {
        using var command = client.RunCommand("seq 1 100000");
        Assert.Equal(0, command.ExitStatus);
        var expected = new StringBuilder();
        for (var i = 1; i <= 100000; i++)
            expected.Append(i).Append('\n');
        Assert.Equal(expected.ToString(), command.Result);
    }
}
