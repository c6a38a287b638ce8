using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Remote;

/// <summary>
/// `-ComputerName web1` works where `ssh web1` does: a whole wpbackup process whose user has a
/// ~/.ssh/config alias (HostName, Port, User, IdentityFile) and the host in ~/.ssh/known_hosts
/// finds, backs up and lists a site on the real sshd with no other connection parameter.
/// </summary>
[Collection("remote")]
public sealed class SshConfigAliasTests(SshdFixture sshd, MariaDbFixture db) : IDisposable
{
    private readonly RemoteSite _remote = new(sshd, db, "alias.example", posts: 5);
    private readonly TempFolder _home = new();

    [Fact]
    public async Task An_ssh_config_alias_alone_reaches_the_server_and_its_known_hosts_entry_is_checked()
    {
        var ssh = Directory.CreateDirectory(_home.Combine(".ssh")).FullName;
        File.WriteAllText(Path.Combine(ssh, "config"), $"""
            Host web1
              HostName 127.0.0.1
              Port {sshd.Port}
              User {sshd.UserName}
              IdentityFile {sshd.Ed25519KeyPath}
            """);
        File.WriteAllText(Path.Combine(ssh, "known_hosts"), sshd.KnownHostsLine + "\n");
        var dest = db.NewDirectory("alias-backups");
        var environment = new Dictionary<string, string> { ["HOME"] = _home.Path };

        using var process = ShellProcess.StartWith(environment, "-Command",
            $"Find-WpSite -ComputerName web1 -Path '{_remote.WebRoot}' | New-WpBackup -Type Files -Destination '{dest}' | ForEach-Object {{ 'backed up ' + $_.Site + ' from ' + $_.ComputerName }}");
        var result = await ShellProcess.FinishAsync(process);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("backed up alias.example from web1", result.StdOut);
        Assert.Single(Directory.GetFiles(Path.Combine(dest, "alias.example"), "*.tar.zst"));

        // The same alias with a known_hosts that holds another key for the host is refused.
        File.WriteAllText(Path.Combine(ssh, "known_hosts"), $"[127.0.0.1]:{sshd.Port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
        using var changed = ShellProcess.StartWith(environment, "-Command", $"Find-WpSite -ComputerName web1 -Path '{_remote.WebRoot}'");
        var refused = await ShellProcess.FinishAsync(changed);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("CHANGED", refused.StdErr + refused.StdOut, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _remote.Dispose();
        _home.Dispose();
    }
}
