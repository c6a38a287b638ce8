using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Tests.Ssh;

/// <summary>known_hosts parsing and host pattern rules that need no server.</summary>
public sealed class KnownHostsParsingTests
{
    // A syntactically valid ed25519 key blob: string "ssh-ed25519" + string(32 bytes).
    private static readonly byte[] KeyA = MakeEd25519Blob(1);
    private static readonly byte[] KeyB = MakeEd25519Blob(2);
    private static readonly string LineA = "ssh-ed25519 " + Convert.ToBase64String(KeyA);
    private static readonly string LineB = "ssh-ed25519 " + Convert.ToBase64String(KeyB);

    [Theory]
    [InlineData("web1", 22, HostKeyCheck.Known)]
    [InlineData("WEB1", 22, HostKeyCheck.Known)]
    [InlineData("web2", 22, HostKeyCheck.Known)]
    [InlineData("web3", 22, HostKeyCheck.Unknown)]
    [InlineData("web1", 2222, HostKeyCheck.Unknown)]
    [InlineData("db.example.com", 22, HostKeyCheck.Known)]
    [InlineData("db.example.org", 22, HostKeyCheck.Unknown)]
    [InlineData("secret.example.com", 22, HostKeyCheck.Unknown)]
    [InlineData("node7", 22, HostKeyCheck.Known)]
    [InlineData("node77", 22, HostKeyCheck.Unknown)]
    [InlineData("alt", 2222, HostKeyCheck.Known)]
    [InlineData("alt", 22, HostKeyCheck.Unknown)]
    public void Plain_entries_with_lists_wildcards_negation_and_ports(string host, int port, HostKeyCheck expected)
    {
        var known = KnownHosts.Parse($"""
            # comment line
               # indented comment

            web1,web2 {LineA} a comment
            *.EXAMPLE.com,!secret.example.com {LineA}
            node? {LineA}
            [alt]:2222 {LineA}
            """);

        Assert.Equal(expected, known.Check(host, port, "ssh-ed25519", KeyA));
    }

    [Fact]
    public void Invalid_lines_are_skipped_not_fatal()
    {
        var known = KnownHosts.Parse($"""
            web1
            web1 ssh-ed25519
            web1 ssh-ed25519 !!!notbase64
            web1 ssh-rsa {Convert.ToBase64String(KeyA)}
            @bogus web1 {LineA}
            @revoked @revoked web1 {LineA}
            web1 {LineB}
            """.Replace("\n", "\r\n"));

        Assert.Single(known.Entries);
        Assert.Equal(7, known.Entries[0].LineNumber);
        Assert.Equal(HostKeyCheck.Changed, known.Check("web1", 22, "ssh-ed25519", KeyA));
        Assert.Equal(HostKeyCheck.Known, known.Check("web1", 22, "ssh-ed25519", KeyB));
    }

    [Fact]
    public void Hashed_entries_match_only_their_exact_lowercase_host_string()
    {
        var salt = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();
        var known = KnownHosts.Parse($"""
            {HashedHostName.Create("web1", salt)} {LineA}
            {HashedHostName.Create("[web2]:2222", salt)} {LineA}
            |1|garbage|garbage {LineA}
            """);

        Assert.Equal(HostKeyCheck.Known, known.Check("Web1", 22, "ssh-ed25519", KeyA));
        Assert.Equal(HostKeyCheck.Known, known.Check("web2", 2222, "ssh-ed25519", KeyA));
        Assert.Equal(HostKeyCheck.Unknown, known.Check("web2", 22, "ssh-ed25519", KeyA));
        Assert.Equal(HostKeyCheck.Unknown, known.Check("web3", 22, "ssh-ed25519", KeyA));
    }

    [Fact]
    public void Revoked_lines_must_match_the_host()
    {
        var known = KnownHosts.Parse($"""
            @revoked other {LineA}
            web1 {LineA}
            """);

        Assert.Equal(HostKeyCheck.Known, known.Check("web1", 22, "ssh-ed25519", KeyA));
        Assert.Equal(HostKeyCheck.Revoked, known.Check("other", 22, "ssh-ed25519", KeyA));
    }

    [Fact]
    public void The_negotiated_rsa_sha2_name_is_treated_as_ssh_rsa()
    {
        Assert.Equal("ssh-rsa", SshPublicKey.NormalizeKeyType("rsa-sha2-512"));
        Assert.Equal("ssh-rsa", SshPublicKey.NormalizeKeyType("rsa-sha2-256"));
        Assert.Equal("RSA", SshPublicKey.DisplayName("rsa-sha2-512"));
        Assert.Equal("ECDSA", SshPublicKey.DisplayName("ecdsa-sha2-nistp384"));
        Assert.Equal("ED25519", SshPublicKey.DisplayName("ssh-ed25519"));
    }

    [Fact]
    public void Known_key_types_are_offered_first_and_certificates_never()
    {
        string[] sshNetDefault =
        [
            "ssh-ed25519-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com",
            "ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa",
        ];

        Assert.Equal(
            ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256"],
            HostKeyAlgorithmPreference.Order(sshNetDefault, ["ssh-rsa"]));
        Assert.Equal(
            ["ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
            HostKeyAlgorithmPreference.Order(sshNetDefault, []));
    }

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "a*", true)]
    [InlineData("abc", "*c", true)]
    [InlineData("abc", "a?c", true)]
    [InlineData("abc", "a?", false)]
    [InlineData("abc", "*", true)]
    [InlineData("", "*", true)]
    [InlineData("abc", "**b**", true)]
    [InlineData("abc", "ABC", false)]
    [InlineData("a.b.c", "*.c", true)]
    [InlineData("aXbXc", "a*b*d", false)]
    public void Pattern_matching_is_OpenSSH_match_pattern(string s, string pattern, bool expected) =>
        Assert.Equal(expected, HostPatterns.Match(s, pattern));

    private static byte[] MakeEd25519Blob(byte fill)
    {
        var name = "ssh-ed25519"u8.ToArray();
        var blob = new List<byte> { 0, 0, 0, (byte)name.Length };
        blob.AddRange(name);
        blob.AddRange([0, 0, 0, 32]);
        blob.AddRange(Enumerable.Repeat(fill, 32));
        return blob.ToArray();
    }
}
