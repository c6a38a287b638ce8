using System.Net.Sockets;
using System.Runtime.Versioning;
using Renci.SshNet;
using Renci.SshNet.Common;
using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Tests.Ssh;

/// <summary>
/// SSH.NET against the real sshd: every client key type and password authentication, the
/// host key verified through known_hosts, and the exception types SSH.NET raises for the
/// failures the engine will have to map to errors.
/// </summary>
[Collection("sshd")]
[SupportedOSPlatform("linux")]
public sealed class SshNetSmokeTests(SshdFixture sshd)
{
    public static TheoryData<string> KeyKinds => new() { "ed25519", "rsa-pem", "ecdsa", "ed25519-passphrase" };

    [Theory]
    [MemberData(nameof(KeyKinds))]
    public void Connects_with_each_key_type_and_runs_a_command(string kind)
    {
        var keyFile = kind switch
        {
            "ed25519" => new PrivateKeyFile(sshd.Ed25519KeyPath),
            "rsa-pem" => new PrivateKeyFile(sshd.RsaPemKeyPath),
            "ecdsa" => new PrivateKeyFile(sshd.EcdsaKeyPath),
            "ed25519-passphrase" => new PrivateKeyFile(sshd.Ed25519PassphraseKeyPath, sshd.KeyPassphrase),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var client = NewClient(new PrivateKeyAuthenticationMethod(sshd.UserName, keyFile), out var verifier);
        client.Connect();

        Assert.Equal(HostKeyCheck.Known, verifier.Result!.Status);
        Assert.Equal(sshd.HostKey.Fingerprint, verifier.PresentedFingerprint);
        Assert.Equal("ssh-ed25519", verifier.PresentedKeyType);
        AssertEchoOk(client);
    }

    [Fact]
    public void Connects_with_a_password()
    {
        using var client = NewClient(new PasswordAuthenticationMethod(sshd.UserName, sshd.Password), out var verifier);
        client.Connect();

        Assert.Equal(HostKeyCheck.Known, verifier.Result!.Status);
        AssertEchoOk(client);
    }

    [Fact]
    public void Host_key_blob_and_name_from_SshNet_match_the_server_key()
    {
        byte[]? blob = null;
        string? name = null;
        string? sshNetFingerprint = null;
        using var client = new SshClient(new ConnectionInfo(sshd.Host, sshd.Port, sshd.UserName,
            new PrivateKeyAuthenticationMethod(sshd.UserName, new PrivateKeyFile(sshd.Ed25519KeyPath))));
        client.HostKeyReceived += (_, e) =>
        {
            blob = e.HostKey;
            name = e.HostKeyName;
            sshNetFingerprint = e.FingerPrintSHA256;
            e.CanTrust = true;
        };
        client.Connect();

        Assert.Equal(sshd.HostKey.Blob, blob);
        Assert.Equal("ssh-ed25519", name);
        // SSH.NET's FingerPrintSHA256 has no "SHA256:" prefix.
        Assert.Equal(sshd.HostKey.Fingerprint, "SHA256:" + sshNetFingerprint);
    }

    [Fact]
    public void By_default_SshNet_negotiates_ed25519_so_a_host_known_only_by_its_RSA_key_looks_unknown()
    {
        var knownHosts = KnownHosts.Parse($"[127.0.0.1]:{sshd.Port} {sshd.RsaHostKey.ToOpenSshString()}\n");
        var verifier = new HostKeyVerifier(knownHosts, sshd.Host, sshd.Port);
        using var client = new SshClient(new ConnectionInfo(sshd.Host, sshd.Port, sshd.UserName,
            new PrivateKeyAuthenticationMethod(sshd.UserName, new PrivateKeyFile(sshd.Ed25519KeyPath))));
        client.HostKeyReceived += verifier.OnHostKeyReceived;

        Assert.Throws<SshConnectionException>(client.Connect);

        Assert.Equal("ssh-ed25519", verifier.PresentedKeyType);
        Assert.Equal(HostKeyCheck.Unknown, verifier.Result!.Status);
        Assert.Contains("keys of other types are on file", verifier.DescribeRefusal());
    }

    [Fact]
    public void Preferring_the_known_key_types_makes_the_server_present_its_RSA_key()
    {
        var knownHosts = KnownHosts.Parse($"[127.0.0.1]:{sshd.Port} {sshd.RsaHostKey.ToOpenSshString()}\n");
        var verifier = new HostKeyVerifier(knownHosts, sshd.Host, sshd.Port);
        var connectionInfo = new ConnectionInfo(sshd.Host, sshd.Port, sshd.UserName,
            new PrivateKeyAuthenticationMethod(sshd.UserName, new PrivateKeyFile(sshd.Ed25519KeyPath)));
        HostKeyAlgorithmPreference.Apply(connectionInfo, knownHosts.KeyTypesFor(sshd.Host, sshd.Port).ToArray());
        using var client = new SshClient(connectionInfo);
        string? negotiated = null;
        client.HostKeyReceived += (s, e) => negotiated = e.HostKeyName;
        client.HostKeyReceived += verifier.OnHostKeyReceived;

        client.Connect();

        Assert.Equal("rsa-sha2-512", negotiated); // the algorithm name, not the key type on file
        Assert.Equal("ssh-rsa", verifier.PresentedKeyType);
        Assert.Equal(HostKeyCheck.Known, verifier.Result!.Status);
        AssertEchoOk(client);
    }

    [Fact]
    public void Wrong_passphrase_fails_when_the_key_is_loaded()
    {
        // Loading the key fails, before any connection: SshException ("The random check
        // bytes of the OpenSSH key do not match") for OpenSSH-format keys.
        var e = Assert.ThrowsAny<Exception>(() => new PrivateKeyFile(sshd.Ed25519PassphraseKeyPath, "not the passphrase"));
        Assert.IsType<SshException>(e);
    }

    [Fact]
    public void Wrong_passphrase_on_an_encrypted_PEM_key_fails_when_the_key_is_loaded()
    {
        var dir = sshd.NewScratchDirectory("pem");
        var key = Path.Combine(dir, "id_rsa");
        ExternalTool.Check("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "right one", "-f", key);
        Assert.Contains("Proc-Type: 4,ENCRYPTED", File.ReadAllText(key));

        // The wrong key almost always leaves invalid CBC padding: CryptographicException
        // ("Padding is invalid and cannot be removed."). About 1 time in 256 (measured: 13
        // in 3,000 passphrases) the padding happens to be valid and the garbage fails to
        // parse as DER instead: System.Formats.Asn1.AsnContentException (not a
        // CryptographicException). Error mapping must treat both as "wrong passphrase".
        var e = Assert.ThrowsAny<Exception>(() => new PrivateKeyFile(key, "wrong one"));
        Assert.True(e is System.Security.Cryptography.CryptographicException or System.Formats.Asn1.AsnContentException, e.ToString());
    }

    [Fact]
    public void A_file_that_is_not_a_key_fails_when_loaded()
    {
        var dir = sshd.NewScratchDirectory("garbage");
        var key = Path.Combine(dir, "id_garbage");
        File.WriteAllText(key, "this is not a private key\n");

        var e = Assert.ThrowsAny<Exception>(() => new PrivateKeyFile(key));
        Assert.IsType<SshException>(e); // "Invalid private key file."
    }

    [Fact]
    public void Missing_passphrase_fails_when_the_key_is_loaded()
    {
        var e = Assert.ThrowsAny<Exception>(() => new PrivateKeyFile(sshd.Ed25519PassphraseKeyPath));
        Assert.IsType<SshPassPhraseNullOrEmptyException>(e);
    }

    [Fact]
    public void Bad_password_fails_authentication()
    {
        using var client = NewClient(new PasswordAuthenticationMethod(sshd.UserName, "wrong password"), out _);
        var e = Assert.ThrowsAny<Exception>(client.Connect);
        Assert.IsType<SshAuthenticationException>(e);
    }

    [Fact]
    public void Key_not_in_authorized_keys_fails_authentication()
    {
        var dir = sshd.NewScratchDirectory("stranger");
        var stranger = Path.Combine(dir, "id_ed25519");
        ExternalTool.Check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger);
        using var client = NewClient(new PrivateKeyAuthenticationMethod(sshd.UserName, new PrivateKeyFile(stranger)), out _);
        var e = Assert.ThrowsAny<Exception>(client.Connect);
        Assert.IsType<SshAuthenticationException>(e);
    }

    [Fact]
    public void Unknown_host_key_is_refused()
    {
        var verifier = new HostKeyVerifier(KnownHosts.Parse(string.Empty), sshd.Host, sshd.Port);
        using var client = new SshClient(new ConnectionInfo(sshd.Host, sshd.Port, sshd.UserName,
            new PrivateKeyAuthenticationMethod(sshd.UserName, new PrivateKeyFile(sshd.Ed25519KeyPath))));
        client.HostKeyReceived += verifier.OnHostKeyReceived;

        var e = Assert.ThrowsAny<Exception>(client.Connect);

        Assert.IsType<SshConnectionException>(e);
        Assert.Equal(HostKeyCheck.Unknown, verifier.Result!.Status);
        var message = verifier.DescribeRefusal();
        Assert.Contains(sshd.HostKey.Fingerprint, message);
        Assert.Contains($"[127.0.0.1]:{sshd.Port}", message);
    }

    [Fact]
    public void Changed_host_key_is_refused()
    {
        var dir = sshd.NewScratchDirectory("changed");
        var other = Path.Combine(dir, "other");
        ExternalTool.Check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other);
        var knownHosts = Path.Combine(dir, "known_hosts");
        File.WriteAllText(knownHosts, $"[127.0.0.1]:{sshd.Port} {SshPublicKey.Parse(File.ReadAllText(other + ".pub")).ToOpenSshString()}\n");
        var verifier = new HostKeyVerifier(KnownHosts.Load(knownHosts), sshd.Host, sshd.Port);
        using var client = new SshClient(new ConnectionInfo(sshd.Host, sshd.Port, sshd.UserName,
            new PrivateKeyAuthenticationMethod(sshd.UserName, new PrivateKeyFile(sshd.Ed25519KeyPath))));
        client.HostKeyReceived += verifier.OnHostKeyReceived;

        var e = Assert.ThrowsAny<Exception>(client.Connect);

        Assert.IsType<SshConnectionException>(e);
        Assert.Equal(HostKeyCheck.Changed, verifier.Result!.Status);
        Assert.Contains($"{knownHosts}:1", verifier.DescribeRefusal());
    }

    [Fact]
    public void Closed_port_fails_to_connect()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new SshClient(new ConnectionInfo(sshd.Host, port, sshd.UserName,
            new PasswordAuthenticationMethod(sshd.UserName, sshd.Password)));

        var e = Assert.ThrowsAny<Exception>(client.Connect);

        Assert.IsType<SocketException>(e);
        Assert.Equal(SocketError.ConnectionRefused, ((SocketException)e).SocketErrorCode);
    }

    [Fact]
    public void Quoted_arguments_arrive_intact_through_sshd_and_the_login_shell()
    {
        string[] argv = ["plain", "", "two words", "it's", "$(id)", "`id`", "a\nb", "-n", "ünï ✓", "*", "~", "x=y", ";rm -rf ~"];
        using var client = NewClient(new PrivateKeyAuthenticationMethod(sshd.UserName, new PrivateKeyFile(sshd.Ed25519KeyPath)), out _);
        client.Connect();

        using var command = client.CreateCommand(ShellQuote.Join(["printf", "%s\\0", .. argv]));
        var running = command.BeginExecute();
        var output = new MemoryStream();
        command.OutputStream.CopyTo(output); // streams until the remote command closes its output
        command.EndExecute(running);

        Assert.Equal(0, command.ExitStatus);
        var received = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\0')[..^1];
        Assert.Equal(argv, received);
    }

    private SshClient NewClient(AuthenticationMethod method, out HostKeyVerifier verifier)
    {
        var client = new SshClient(new ConnectionInfo(sshd.Host, sshd.Port, sshd.UserName, method)
        {
            Timeout = TimeSpan.FromSeconds(20),
        });
        verifier = new HostKeyVerifier(KnownHosts.Parse(sshd.KnownHostsLine, "keyscan"), sshd.Host, sshd.Port);
        client.HostKeyReceived += verifier.OnHostKeyReceived;
        return client;
    }

    private static void AssertEchoOk(SshClient client)
    {
        using var command = client.RunCommand("echo ok");
        Assert.Equal(0, command.ExitStatus);
        Assert.Equal("ok\n", command.Result);
    }
}
