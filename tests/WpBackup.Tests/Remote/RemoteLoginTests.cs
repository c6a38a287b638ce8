using System.Management.Automation;
using System.Security;
using WpBackup.Core;
using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Sites;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Remote;

/// <summary>
/// A password login and a passphrase-protected key carry a whole backup and restore through the real
/// sshd, and the secret stays inside: no property, no CLIXML, no JSON of the site or the backup holds it.
/// </summary>
[Collection("remote")]
public sealed class RemoteLoginTests(SshdFixture sshd, MariaDbFixture db) : IDisposable
{
    private readonly PowerShellSession _ps = new();

    private static SecureString Secret(string text) => new System.Net.NetworkCredential("", text).SecurePassword;

    [Fact]
    public void A_password_login_backs_up_and_restores_and_no_object_holds_the_password()
    {
        using var remote = new RemoteSite(sshd, db, "password.example", posts: 5);
        var login = $"-Credential $c -KnownHostsFile '{remote.KnownHosts}'";
        var site = RoundTrip(remote, $"-ComputerName 127.0.0.1 -Port {sshd.Port} {login}", login,
            ("c", new PSCredential(sshd.UserName, Secret(sshd.Password))), sshd.Password);
        Assert.True(site.Ssh!.HasPassword);
    }

    [Fact]
    public void A_passphrase_protected_key_backs_up_and_restores_and_no_object_holds_the_passphrase()
    {
        using var remote = new RemoteSite(sshd, db, "passphrase.example", posts: 5);
        var login = $"-KeyFile '{sshd.Ed25519PassphraseKeyPath}' -KeyPassphrase $c -KnownHostsFile '{remote.KnownHosts}'";
        var site = RoundTrip(remote, $"-ComputerName 127.0.0.1 -Port {sshd.Port} -UserName {sshd.UserName} {login}", login,
            ("c", Secret(sshd.KeyPassphrase)), sshd.KeyPassphrase);
        Assert.True(site.Ssh!.HasKeyPassphrase);
    }

    /// <summary>
    /// Finds the site with <paramref name="findLogin"/>, backs it up (Full), checks that the site and the backup, serialized
    /// every way a user would, do not hold <paramref name="secret"/>, deletes the site and its database, and restores them
    /// with <paramref name="restoreLogin"/>: files and tables must come back the same.
    /// </summary>
    private WpSite RoundTrip(RemoteSite remote, string findLogin, string restoreLogin, (string Name, object Value) credential, string secret)
    {
        var dest = db.NewDirectory("backups");
        var files = TreeSnapshot.Take(remote.Site.Root);
        var tables = DatabaseState.Take(db.Server, remote.Site.DatabaseName);
        var vars = new Dictionary<string, object?> { ["p"] = remote.WebRoot, ["d"] = dest, [credential.Name] = credential.Value };
        SshSessions.CloseAll();

        var result = _ps.Run($$"""
            $s = Find-WpSite {{findLogin}} -Path $p
            $b = $s | New-WpBackup -Destination $d
            $s, $b
            $s.Ssh.PSObject.Properties.Name -join ','
            foreach ($o in $s, $b) {
                [System.Management.Automation.PSSerializer]::Serialize($o, 5)
                [System.Text.Json.JsonSerializer]::Serialize($o, $o.GetType())
            }
            """, vars).ShouldSucceed();
        var site = (WpSite)result.Output[0].BaseObject;
        var backup = (BackupInfo)result.Output[1].BaseObject;
        Assert.Equal(remote.Site.Root, site.Root);
        Assert.Equal(BackupType.Full, backup.Type);
        var sshProperties = ((string)result.Output[2].BaseObject).Split(',');
        Assert.Contains("HasPassword", sshProperties);
        Assert.Contains("HasKeyPassphrase", sshProperties);
        Assert.DoesNotContain(sshProperties, p => p is "Password" or "KeyPassphrase");
        var serialized = result.Output.Skip(3).Select(o => (string)o.BaseObject).ToList();
        Assert.Equal(4, serialized.Count);
        Assert.Contains("HasKeyPassphrase", serialized[0]); // the site's SSH settings were serialized, not cut off by the depth
        Assert.Contains("\"HasKeyPassphrase\":", serialized[1]);
        Assert.All(serialized, text => Assert.Contains(remote.Site.HostName, text));
        Assert.All(serialized, text => Assert.DoesNotContain(secret, text));

        Directory.Delete(remote.Site.Root, recursive: true);
        db.Server.DropDatabase(remote.Site.DatabaseName);
        SshSessions.CloseAll();
        var restored = _ps.Run($"Get-WpBackup -Destination $d | Restore-WpBackup {restoreLogin} -Confirm:$false", vars).ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(remote.Site.Root, restored.Target);
        Assert.Equal(files, TreeSnapshot.Take(remote.Site.Root));
        Assert.Equal(tables, DatabaseState.Take(db.Server, remote.Site.DatabaseName));
        return site;
    }

    public void Dispose()
    {
        _ps.Dispose();
        SshSessions.CloseAll();
    }
}
