using WpBackup.Core.Hosts.Ssh;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Remote;

public sealed class SshTargetTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void An_ssh_config_alias_supplies_host_user_port_and_key_and_parameters_win()
    {
        var key = _temp.Combine("id_web1");
        File.WriteAllText(key, "not read here");
        var config = _temp.Combine("config");
        File.WriteAllText(config, $"Host web1\n  HostName 10.1.2.3\n  User deploy\n  Port 2222\n  IdentityFile {key}\n\nHost *\n  User nobody-else\n");
        var ssh = new SshConfig(config, systemConfigPath: null, homeDirectory: _temp.Path, localUserName: "me");

        var target = SshTarget.Resolve(ssh, new SshConnectionRequest("web1"));
        Assert.Equal(("web1", "10.1.2.3", "deploy", 2222), (target.ComputerName, target.HostName, target.UserName, target.Port));
        Assert.Equal([key], target.KeyFiles);
        Assert.False(target.KeyFilesExplicit);
        Assert.Equal("deploy@10.1.2.3:2222", target.ToString());

        var overridden = SshTarget.Resolve(ssh, new SshConnectionRequest("web1") { UserName = "root", Port = 22 });
        Assert.Equal(("root", 22), (overridden.UserName, overridden.Port));

        var plain = SshTarget.Resolve(ssh, new SshConnectionRequest("db.example"));
        Assert.Equal(("db.example", "nobody-else", 22), (plain.HostName, plain.UserName, plain.Port));
    }

    public void Dispose() => _temp.Dispose();
}

[Collection("remote")]
public sealed class PrivateKeyWarningTests(SshdFixture sshd, MariaDbFixture db) : IDisposable
{
    private readonly PowerShellSession _ps = new();

    [Fact]
    public void A_private_key_readable_by_others_is_warned_about()
    {
        using var remote = new RemoteSite(sshd, db, "keys.example", posts: 5);
        var loose = Path.Combine(sshd.NewScratchDirectory("loose"), "id_loose");
        File.Copy(sshd.Ed25519KeyPath, loose);
        File.SetUnixFileMode(loose, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        SshSessions.CloseAll();

        var result = _ps.Run($"Find-WpSite -ComputerName 127.0.0.1 -Port {sshd.Port} -UserName {sshd.UserName} -KeyFile '{loose}' -KnownHostsFile '{remote.KnownHosts}' -Path $p",
            new Dictionary<string, object?> { ["p"] = remote.WebRoot }).ShouldSucceed();
        Assert.Contains(result.Warnings, w => w.Contains(loose, StringComparison.Ordinal) && w.Contains("chmod 600", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _ps.Dispose();
        SshSessions.CloseAll();
    }
}
