using WpBackup.Core.Errors;
using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Tests.Ssh;

/// <summary>
/// SshConfig against hand-written configs, checked where possible against the OpenSSH
/// client's own resolution (<c>ssh -G -F FILE ALIAS</c>).
/// </summary>
public sealed class SshConfigTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("wpb-sshconfig-").FullName;
    private readonly string _localUser = Environment.UserName;

    public SshConfigTests() => Directory.CreateDirectory(Path.Combine(_home, ".ssh"));

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void Resolves_an_alias_to_host_user_port_and_identity_files()
    {
        var config = WriteConfig("""
            # servers
            Host web1
                HostName 192.0.2.10
                User deploy
                Port 2222
                IdentityFile ~/.ssh/web1_ed25519
                IdentityFile %d/.ssh/second

            Host *
                User nobody-else
            """);

        var entry = Resolve(config, "web1");

        Assert.Equal("web1", entry.Alias);
        Assert.Equal("192.0.2.10", entry.HostName);
        Assert.Equal("deploy", entry.User);
        Assert.Equal(2222, entry.Port);
        Assert.True(entry.UserFromConfig);
        Assert.True(entry.PortFromConfig);
        Assert.Equal([Path.Combine(_home, ".ssh/web1_ed25519"), Path.Combine(_home, ".ssh/second")], entry.IdentityFiles);
        AssertSameAsOpenSsh(config, "web1", "other");
    }

    [Fact]
    public void The_first_value_obtained_wins()
    {
        var config = WriteConfig("""
            Host *
                User everyone
            Host web1
                User deploy
                Port 2200
                HostName first.example.com
            Host web*
                Port 2300
                HostName second.example.com
            Host *
                Port 22
            """);

        var entry = Resolve(config, "web1");

        Assert.Equal(("everyone", 2200, "first.example.com"), (entry.User, entry.Port, entry.HostName));
        Assert.Equal(2300, Resolve(config, "web2").Port);
        AssertSameAsOpenSsh(config, "web1", "web2", "db");
    }

    [Fact]
    public void Host_patterns_with_wildcards_and_negation()
    {
        var config = WriteConfig("""
            Host *.prod !db.prod bastion?
                User ops
            Host !*.test *
                Port 2022
            """);

        Assert.Equal("ops", Resolve(config, "web.prod").User);
        Assert.Equal(_localUser, Resolve(config, "db.prod").User);
        Assert.Equal("ops", Resolve(config, "bastion1").User);
        Assert.Equal(_localUser, Resolve(config, "bastion12").User);
        Assert.Equal(22, Resolve(config, "x.test").Port);
        Assert.Equal(2022, Resolve(config, "x.prod").Port);
        AssertSameAsOpenSsh(config, "web.prod", "db.prod", "bastion1", "bastion12", "x.test", "x.prod");
    }

    [Fact]
    public void Keywords_are_case_insensitive_with_equals_forms_quotes_and_comments()
    {
        var config = WriteConfig("""
            HOST=web1
              hostname = Web1.Example.COM
              USER=deploy   # trailing comment
              port =2022
              IdentityFile "/path with spaces/key"
              IdentityFile '/single quoted/key'
              IdentityFile /escaped\ space/key
            """);

        var entry = Resolve(config, "web1");

        Assert.Equal("web1.example.com", entry.HostName); // lowercased, as ssh does
        Assert.Equal("deploy", entry.User);
        Assert.Equal(2022, entry.Port);
        Assert.Equal(["/path with spaces/key", "/single quoted/key", "/escaped space/key"], entry.IdentityFiles);
        AssertSameAsOpenSsh(config, "web1");
    }

    [Fact]
    public void Host_patterns_are_case_sensitive_but_the_host_name_is_lowercased()
    {
        var config = WriteConfig("""
            Host web1
                Port 2022
            """);

        var entry = Resolve(config, "WEB1");

        Assert.Equal(22, entry.Port);
        Assert.Equal("web1", entry.HostName);
        AssertSameAsOpenSsh(config, "WEB1", "web1");
    }

    [Fact]
    public void HostName_expands_percent_h_to_the_alias()
    {
        var config = WriteConfig("""
            Host *.lan
                HostName %h.example.com
            Host pct
                HostName 100%%.example.com
            """);

        Assert.Equal("nas.lan.example.com", Resolve(config, "nas.lan").HostName);
        Assert.Equal("100%.example.com", Resolve(config, "pct").HostName);
        Assert.Equal("other", Resolve(config, "other").HostName);
        AssertSameAsOpenSsh(config, "nas.lan", "pct", "other");
    }

    [Fact]
    public void Match_blocks_are_evaluated_like_ssh()
    {
        var config = WriteConfig($"""
            Match originalhost web1
                Port 2201
            Match host real.example.com
                User from-match-host-too-early
            Host web1
                HostName real.example.com
            Match host real.example.com
                User from-match-host
            Match !host *.example.com
                User not-example
            Match localuser {_localUser} host other
                Port 2400
            Match all
                IdentityFile /from/match/all
            """);

        var web1 = Resolve(config, "web1");
        var other = Resolve(config, "other");

        Assert.Equal(("real.example.com", "from-match-host", 2201), (web1.HostName, web1.User, web1.Port));
        Assert.Equal(["/from/match/all"], web1.IdentityFiles);
        Assert.Equal(("not-example", 2400), (other.User, other.Port));
        AssertSameAsOpenSsh(config, "web1", "other");
    }

    [Fact]
    public void Match_user_sees_the_user_override_and_the_configured_user()
    {
        var config = WriteConfig("""
            Match user cli
                Port 2500
            Host web1
                User deploy
            Match user deploy
                IdentityFile ~/.ssh/%r@%h
            """);

        Assert.Equal(2500, Resolve(config, "web1", user: "cli").Port);
        var web1 = Resolve(config, "web1");
        Assert.Equal(22, web1.Port);
        Assert.Equal([Path.Combine(_home, ".ssh", "deploy@web1")], web1.IdentityFiles);
    }

    [Fact]
    public void Match_final_is_applied_on_a_second_pass_where_Host_sees_the_HostName()
    {
        var config = WriteConfig("""
            Host web1
                HostName real.example.com
            Host real.example.com
                User seen-on-final-pass
            Match final
                Port 2600
            """);

        var web1 = Resolve(config, "web1");

        Assert.Equal(("seen-on-final-pass", 2600), (web1.User, web1.Port));
        AssertSameAsOpenSsh(config, "web1");
    }

    [Fact]
    public void Match_exec_is_never_run_and_its_block_is_skipped()
    {
        var canary = Path.Combine(_home, "canary");
        var config = WriteConfig($"""
            Match exec "touch {canary}"
                User from-exec
            Match !exec "touch {canary}"
                Port 2700
            """);

        var entry = Resolve(config, "web1");

        Assert.Equal((_localUser, 22), (entry.User, entry.Port));
        Assert.False(File.Exists(canary));
    }

    [Fact]
    public void Include_with_an_absolute_glob_reads_matching_files_in_order()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_home, "conf.d")).FullName;
        File.WriteAllText(Path.Combine(dir, "20-b.conf"), "Host web1\n  User from-b\n  Port 2020\n");
        File.WriteAllText(Path.Combine(dir, "10-a.conf"), "Host web1\n  User from-a\n");
        File.WriteAllText(Path.Combine(dir, ".hidden.conf"), "Host *\n  User from-hidden\n");
        File.WriteAllText(Path.Combine(dir, "30-c.txt"), "Host *\n  User from-txt\n");
        var config = WriteConfig($"""
            Include {dir}/*.conf
            Host *
                Port 22
            """);

        var entry = Resolve(config, "web1");

        Assert.Equal(("from-a", 2020), (entry.User, entry.Port));
        Assert.Equal(_localUser, Resolve(config, "other").User);
        AssertSameAsOpenSsh(config, "web1", "other");
    }

    [Fact]
    public void Include_is_conditional_inside_a_Host_block_and_cannot_leak_its_Host_state()
    {
        var extra = Path.Combine(_home, "extra.conf");
        File.WriteAllText(extra, "User from-include\nHost *\nPort 2800\n");
        var config = WriteConfig($"""
            Host web1
                Include {extra}
                HostName after-include.example.com
            Host *
                IdentityFile /always
            """);

        var web1 = Resolve(config, "web1");
        var other = Resolve(config, "other");

        Assert.Equal(("from-include", 2800, "after-include.example.com"), (web1.User, web1.Port, web1.HostName));
        Assert.Equal((_localUser, 22), (other.User, other.Port));
        AssertSameAsOpenSsh(config, "web1", "other");
    }

    [Fact]
    public void Relative_Include_is_relative_to_dot_ssh_in_the_home_directory()
    {
        var confD = Directory.CreateDirectory(Path.Combine(_home, ".ssh", "config.d")).FullName;
        File.WriteAllText(Path.Combine(confD, "web.conf"), "Host web1\n  HostName web1.internal\n  User deploy\n");
        var config = WriteConfig("""
            Include config.d/*
            Include does-not-exist.conf
            """);

        var entry = Resolve(config, "web1");

        Assert.Equal(("web1.internal", "deploy"), (entry.HostName, entry.User));
    }

    [Fact]
    public void System_config_is_read_after_the_user_config()
    {
        var user = WriteConfig("Host web1\n  User from-user\n");
        var system = Path.Combine(_home, "ssh_config");
        File.WriteAllText(system, "Host *\n  User from-system\n  Port 2900\n");

        var entry = new SshConfig(user, system, _home, _localUser).Resolve("web1");

        Assert.Equal(("from-user", 2900), (entry.User, entry.Port));
    }

    [Fact]
    public void Overrides_win_over_the_files_and_feed_the_tokens()
    {
        var config = WriteConfig("""
            Host web1
                User deploy
                Port 2222
                IdentityFile /keys/%r-%p-%h-%n-%u-%%
                IdentityFile /keys/%r-%p-%h-%n-%u-%%
            """);

        var entry = Resolve(config, "web1", user: "cli", port: 2022);

        Assert.Equal(("cli", 2022), (entry.User, entry.Port));
        Assert.False(entry.UserFromConfig);
        Assert.False(entry.PortFromConfig);
        Assert.Equal([$"/keys/cli-2022-web1-web1-{_localUser}-%"], entry.IdentityFiles); // duplicates dropped
    }

    [Fact]
    public void A_missing_config_gives_ssh_defaults()
    {
        var entry = new SshConfig(Path.Combine(_home, "nope"), null, _home, "alice").Resolve("Example.COM");

        Assert.Equal(("Example.COM", "example.com", "alice", 22), (entry.Alias, entry.HostName, entry.User, entry.Port));
        Assert.Empty(entry.IdentityFiles);
        Assert.Null(entry.HostKeyAlias);
        Assert.Equal(Path.Combine(_home, ".ssh", "id_rsa"), SshConfig.DefaultIdentityFiles(_home)[0]);
    }

    [Fact]
    public void HostKeyAlias_is_the_known_hosts_name()
    {
        var config = WriteConfig("Host web1\n  HostName 192.0.2.1\n  HostKeyAlias Web1-Key\n");

        var entry = Resolve(config, "web1");

        Assert.Equal("web1-key", entry.KnownHostsName);
        Assert.Equal("192.0.2.1", Resolve(config, "web1").HostName);
        Assert.Equal("other", Resolve(config, "other").KnownHostsName);
    }

    [Theory]
    [InlineData("Host web1\n  Port abc\n", "line 2")]
    [InlineData("Host web1\n  Port 70000\n", "line 2")]
    [InlineData("Host web1\n  User\n", "line 2")]
    [InlineData("Host web1\n  User a b\n", "line 2")]
    [InlineData("Host web1\n  IdentityFile \"/unterminated\n", "line 2")]
    [InlineData("Host\n", "line 1")]
    [InlineData("Match all host x\n", "line 1")]
    [InlineData("Host web1\n  HostName %z.example.com\n", "HostName")]
    public void Malformed_configs_are_reported_with_file_and_line(string text, string where)
    {
        var config = WriteConfig(text);

        var e = Assert.Throws<WpBackupException>(() => Resolve(config, "web1"));

        Assert.Equal("SshConfigInvalid", e.ErrorId);
        Assert.Equal(FailureKind.ConfigParse, e.Kind);
        Assert.Contains(where, e.Message);
    }

    [Fact]
    public void Unknown_keywords_are_ignored()
    {
        var config = WriteConfig("Host web1\n  ForwardAgent yes\n  ServerAliveInterval 30\n  User deploy\n");

        Assert.Equal("deploy", Resolve(config, "web1").User);
    }

    private SshConfigEntry Resolve(string configPath, string alias, string? user = null, int? port = null) =>
        new SshConfig(configPath, null, _home, _localUser).Resolve(alias, user, port);

    private string WriteConfig(string text)
    {
        var path = Path.Combine(_home, ".ssh", "config");
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        return path;
    }

    /// <summary>The OpenSSH client's own answer for host name, user and port.</summary>
    private void AssertSameAsOpenSsh(string configPath, params string[] aliases)
    {
        foreach (var alias in aliases)
        {
            var output = ExternalTool.Check("ssh", "-G", "-F", configPath, alias);
            var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' ', 2))
                .Where(p => p.Length == 2)
                .GroupBy(p => p[0])
                .ToDictionary(g => g.Key, g => g.First()[1]);
            var ours = Resolve(configPath, alias);
            Assert.Equal((values["hostname"], values["user"], values["port"]), (ours.HostName, ours.User, ours.Port.ToString()));
        }
    }
}
