using System.Runtime.Versioning;
using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Tests.Ssh;

/// <summary>
/// KnownHosts against files made by OpenSSH's own tools (ssh-keyscan, ssh-keygen -H) for
/// the fixture's server, and against the OpenSSH client's own verdict on the same files.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection("sshd")]
public sealed class KnownHostsTests(SshdFixture sshd)
{
    private byte[] HostBlob => sshd.HostKey.Blob;

    [Fact]
    public void Keyscan_line_is_known_for_bracketed_host_and_port()
    {
        Assert.StartsWith($"[127.0.0.1]:{sshd.Port} ssh-ed25519 ", sshd.KnownHostsLine);
        var file = WriteKnownHosts(sshd.KnownHostsLine);

        var known = KnownHosts.Load(file);

        Assert.Equal(HostKeyCheck.Known, known.Check("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob));
        var match = known.Lookup("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob);
        Assert.Equal(file, match.Entry!.Source);
        Assert.Equal(1, match.Entry.LineNumber);
        Assert.Equal($"[127.0.0.1]:{sshd.Port}", match.HostString);
    }

    [Fact]
    public void Entries_hashed_by_ssh_keygen_are_known()
    {
        var file = WriteKnownHosts("# a comment", sshd.KnownHostsLine);
        ExternalTool.Check("ssh-keygen", "-H", "-f", file);
        var hashedLine = File.ReadAllLines(file).Single(l => !l.StartsWith('#') && l.Length > 0);
        Assert.StartsWith("|1|", hashedLine);
        Assert.DoesNotContain("127.0.0.1", hashedLine);

        var known = KnownHosts.Load(file);

        Assert.True(known.Entries.Single().IsHashed);
        Assert.Equal(HostKeyCheck.Known, known.Check("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob));
        Assert.Equal(HostKeyCheck.Unknown, known.Check("127.0.0.1", sshd.Port + 1, "ssh-ed25519", HostBlob));
        Assert.Equal(HostKeyCheck.Unknown, known.Check("127.0.0.1", 22, "ssh-ed25519", HostBlob));
    }

    [Fact]
    public void Other_hosts_and_ports_are_unknown()
    {
        var known = KnownHosts.Load(WriteKnownHosts(sshd.KnownHostsLine));

        Assert.Equal(HostKeyCheck.Unknown, known.Check("127.0.0.2", sshd.Port, "ssh-ed25519", HostBlob));
        Assert.Equal(HostKeyCheck.Unknown, known.Check("127.0.0.1", sshd.Port + 1, "ssh-ed25519", HostBlob));
        // Port 22 is looked up as the bare name, which the [host]:port line does not match.
        Assert.Equal(HostKeyCheck.Unknown, known.Check("127.0.0.1", 22, "ssh-ed25519", HostBlob));
    }

    [Fact]
    public void A_different_key_of_the_same_type_is_changed_plain_and_hashed()
    {
        var other = NewKey("ed25519");
        var plain = WriteKnownHosts("# first line", $"[127.0.0.1]:{sshd.Port} {other.ToOpenSshString()}");
        var hashed = WriteKnownHosts($"[127.0.0.1]:{sshd.Port} {other.ToOpenSshString()}");
        ExternalTool.Check("ssh-keygen", "-H", "-f", hashed);

        var plainMatch = KnownHosts.Load(plain).Lookup("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob);
        var hashedMatch = KnownHosts.Load(hashed).Lookup("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob);

        Assert.Equal(HostKeyCheck.Changed, plainMatch.Status);
        Assert.Equal(2, plainMatch.Entry!.LineNumber);
        Assert.Equal(HostKeyCheck.Changed, hashedMatch.Status);
    }

    [Fact]
    public void The_right_key_among_others_for_the_same_host_is_known()
    {
        var other = NewKey("ed25519");
        var file = WriteKnownHosts($"[127.0.0.1]:{sshd.Port} {other.ToOpenSshString()}", sshd.KnownHostsLine);

        Assert.Equal(HostKeyCheck.Known, KnownHosts.Load(file).Check("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob));
    }

    [Fact]
    public void Only_a_key_of_another_type_on_file_is_unknown_and_says_so()
    {
        var rsa = NewKey("rsa");
        var file = WriteKnownHosts($"[127.0.0.1]:{sshd.Port} {rsa.ToOpenSshString()}");
        var known = KnownHosts.Load(file);

        var match = known.Lookup("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob);

        // Deliberately Unknown (Changed means a different key of the same type), while the
        // OpenSSH 9.2 client, made to get the ed25519 key, calls it "REMOTE HOST IDENTIFICATION HAS CHANGED".
        Assert.Equal(HostKeyCheck.Unknown, match.Status);
        Assert.Equal(["ssh-rsa"], match.OtherTypeEntries.Select(e => e.Key.KeyType));
        Assert.Equal(["ssh-rsa"], known.KeyTypesFor("127.0.0.1", sshd.Port));
        var ssh = RunSsh(file, "-o", "HostKeyAlgorithms=ssh-ed25519");
        Assert.Contains("The fingerprint for the ED25519 key", ssh.StandardError);
        Assert.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", ssh.StandardError);
    }

    [Fact]
    public void A_revoked_key_is_refused_even_when_also_listed_as_known()
    {
        var file = WriteKnownHosts(sshd.KnownHostsLine, $"@revoked * {sshd.HostKey.ToOpenSshString()}");

        var match = KnownHosts.Load(file).Lookup("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob);

        Assert.Equal(HostKeyCheck.Revoked, match.Status);
        Assert.Equal(2, match.Entry!.LineNumber);
    }

    [Fact]
    public void Cert_authority_lines_are_read_but_do_not_make_a_key_known()
    {
        var ca = NewKey("ed25519");
        var file = WriteKnownHosts(
            $"@cert-authority * {ca.ToOpenSshString()}",
            $"@cert-authority [127.0.0.1]:* {sshd.HostKey.ToOpenSshString()}");

        var known = KnownHosts.Load(file);

        Assert.Equal(2, known.Entries.Count);
        Assert.All(known.Entries, e => Assert.Equal(KnownHostsMarker.CertAuthority, e.Marker));
        Assert.Equal(HostKeyCheck.Unknown, known.Check("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob));
    }

    [Fact]
    public void Patterns_wildcards_and_negation_apply_to_the_bracketed_name()
    {
        var key = sshd.HostKey.ToOpenSshString();
        var port = sshd.Port;

        Assert.Equal(HostKeyCheck.Known, CheckWith($"[127.0.0.?]:{port} {key}"));
        Assert.Equal(HostKeyCheck.Known, CheckWith($"web1,[127.0.0.1]:*,web2 {key}"));
        Assert.Equal(HostKeyCheck.Unknown, CheckWith($"127.0.0.1 {key}"));
        Assert.Equal(HostKeyCheck.Unknown, CheckWith($"127.0.0.* {key}"));
        Assert.Equal(HostKeyCheck.Unknown, CheckWith($"[127.0.0.*]:*,![127.0.0.1]:{port} {key}"));
        Assert.Equal(HostKeyCheck.Unknown, CheckWith($"![127.0.0.1]:{port},[127.0.0.*]:* {key}"));
    }

    [Fact]
    public void AppendEntry_creates_a_private_dir_and_file_with_a_hashed_line_OpenSSH_finds()
    {
        var home = sshd.NewScratchDirectory("home");
        var path = Path.Combine(home, ".ssh", "known_hosts");

        // SSH.NET reports RSA hosts as rsa-sha2-512; the blob decides the type written.
        var line = KnownHosts.AppendEntry(path, "127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(home, ".ssh")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.StartsWith("|1|", line);
        Assert.Equal(line + "\n", File.ReadAllText(path));
        Assert.Equal(HostKeyCheck.Known, KnownHosts.Load(path).Check("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob));

        // OpenSSH's own lookup finds the hashed entry...
        var found = ExternalTool.Run("ssh-keygen", "-F", $"[127.0.0.1]:{sshd.Port}", "-f", path);
        Assert.Equal(0, found.ExitCode);
        Assert.Contains(line, found.StandardOutput);
        // ...and the OpenSSH client trusts the server through it.
        var ssh = RunSsh(path);
        Assert.True(ssh.ExitCode == 0, ssh.StandardError);
    }

    [Fact]
    public void AppendEntry_plain_and_after_a_last_line_without_newline()
    {
        var dir = sshd.NewScratchDirectory("append");
        var path = Path.Combine(dir, "known_hosts");
        File.WriteAllText(path, "# no trailing newline");

        var line = KnownHosts.AppendEntry(path, "Web1.Example.COM", 22, "rsa-sha2-512", NewKey("rsa").Blob, hashed: false);

        Assert.StartsWith("web1.example.com ssh-rsa AAAA", line);
        Assert.Equal(["# no trailing newline", line], File.ReadAllLines(path));
    }

    [Fact]
    public void KnownHosts_agrees_with_the_OpenSSH_client()
    {
        var other = NewKey("ed25519");
        var knownFile = WriteKnownHosts(sshd.KnownHostsLine);
        var changedFile = WriteKnownHosts($"[127.0.0.1]:{sshd.Port} {other.ToOpenSshString()}");
        var unknownFile = WriteKnownHosts($"[127.0.0.1]:{sshd.Port + 1} {sshd.HostKey.ToOpenSshString()}");

        Assert.Equal(HostKeyCheck.Known, KnownHosts.Load(knownFile).Check("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob));
        var ok = RunSsh(knownFile);
        Assert.True(ok.ExitCode == 0, ok.StandardError);

        Assert.Equal(HostKeyCheck.Changed, KnownHosts.Load(changedFile).Check("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob));
        var changed = RunSsh(changedFile);
        Assert.NotEqual(0, changed.ExitCode);
        Assert.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", changed.StandardError);

        Assert.Equal(HostKeyCheck.Unknown, KnownHosts.Load(unknownFile).Check("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob));
        var unknown = RunSsh(unknownFile);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("No ED25519 host key is known", unknown.StandardError);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("ed25519")]
    [InlineData("rsa")]
    [InlineData("ecdsa")]
    public void Fingerprint_equals_ssh_keygen_l(string which)
    {
        var pub = which switch
        {
            "host" => sshd.HostKeyPath,
            "ed25519" => sshd.Ed25519KeyPath,
            "rsa" => sshd.RsaPemKeyPath,
            _ => sshd.EcdsaKeyPath,
        } + ".pub";

        // "256 SHA256:abc... comment (ED25519)"
        var expected = ExternalTool.Check("ssh-keygen", "-l", "-E", "sha256", "-f", pub).Split(' ')[1];

        Assert.Equal(expected, Fingerprint.Sha256(SshPublicKey.Parse(File.ReadAllText(pub)).Blob));
    }

    private HostKeyCheck CheckWith(string line) =>
        KnownHosts.Parse(line + "\n").Check("127.0.0.1", sshd.Port, "ssh-ed25519", HostBlob);

    private string WriteKnownHosts(params string[] lines)
    {
        var path = Path.Combine(sshd.NewScratchDirectory("kh"), "known_hosts");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private SshPublicKey NewKey(string type)
    {
        var path = Path.Combine(sshd.NewScratchDirectory("key"), "id");
        ExternalTool.Check("ssh-keygen", "-q", "-t", type, "-N", "", "-f", path);
        return SshPublicKey.Parse(File.ReadAllText(path + ".pub"));
    }

    private ExternalTool.Result RunSsh(string knownHostsFile, params string[] extraOptions) => ExternalTool.Run("ssh", [
        .. extraOptions,
        "-F", "/dev/null",
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "UserKnownHostsFile=" + knownHostsFile,
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "IdentitiesOnly=yes",
        "-o", "IdentityAgent=none",
        "-i", sshd.Ed25519KeyPath,
        "-p", sshd.Port.ToString(),
        "-l", sshd.UserName,
        "127.0.0.1", "true"]);
}
