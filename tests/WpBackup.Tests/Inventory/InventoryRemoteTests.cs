using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Sites;
using WpBackup.Tests.Remote;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Inventory;

/// <summary>Inventory sites on a server, over a real sshd, with their database on a real MariaDB.</summary>
[Collection("remote")]
public sealed class InventoryRemoteTests(SshdFixture sshd, MariaDbFixture db) : IDisposable
{
    private readonly PowerShellSession _ps = new();
    private readonly List<RemoteSite> _sites = [];
    private readonly TempFolder _temp = new();

    private RemoteSite NewSite(string host)
    {
        var site = new RemoteSite(sshd, db, host, posts: 20);
        _sites.Add(site);
        return site;
    }

    private string WriteInventory(string yaml)
    {
        var path = _temp.Combine("inventory.yml");
        File.WriteAllText(path, yaml);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    [Fact]
    public void Get_WpSite_reads_a_remote_site_over_ssh_with_a_preset_root_pattern_and_backs_it_up()
    {
        var remote = NewSite("inv-remote.example");
        var inventory = WriteInventory($$"""
            presets:
              webroot:
                root: {{remote.WebRoot}}/{name}/htdocs
            hosts:
              testbox:
                hostName: 127.0.0.1
                port: {{sshd.Port}}
                user: {{sshd.UserName}}
                keyFile: {{sshd.Ed25519KeyPath}}
                knownHostsFile: {{remote.KnownHosts}}
                preset: webroot
            sites:
              - name: inv-remote.example
                host: testbox
                tags: [remote]
            """);
        SshSessions.CloseAll();
        var opened = SshSessions.ConnectionsOpened;

        var site = _ps.Run("Get-WpSite -ConfigPath $inv", new Dictionary<string, object?> { ["inv"] = inventory }).ShouldSucceed().Single<WpSite>();
        Assert.Equal("inv-remote.example", site.Name);
        Assert.Equal("127.0.0.1", site.ComputerName);
        Assert.False(site.IsLocal);
        Assert.Equal(sshd.UserName, site.Ssh!.UserName);
        Assert.Equal(sshd.Port, site.Ssh.Port);
        Assert.Equal(remote.Site.Root, site.Root);
        Assert.Equal(remote.Site.DatabaseName, site.Database.Name);
        Assert.Equal(remote.Site.User, site.Database.User);
        Assert.Equal(remote.Site.Password, site.Database.Password);
        Assert.Equal(["remote"], site.Tags);
        Assert.Equal("testbox", site.Settings!.Host);
        Assert.Null(site.Settings.Preset); // the preset is the host's, not the site's

        var dest = db.NewDirectory("inv-remote-backups");
        var backup = _ps.Run("$s | New-WpBackup -Type Full -Destination $d", new Dictionary<string, object?> { ["s"] = site, ["d"] = dest })
            .ShouldSucceed().Single<BackupInfo>();
        Assert.Equal("inv-remote.example", backup.Site);
        Assert.True(backup.DatabaseSize > 10_000);
        Assert.Equal(opened + 1, SshSessions.ConnectionsOpened); // reading wp-config.php and the backup share one connection
    }

    [Fact]
    public void A_remote_site_found_by_Find_WpSite_is_registered_with_its_host_and_read_back()
    {
        var remote = NewSite("reg-remote.example");
        var inventory = _temp.Combine("registered.yml");
        var connection = $"-ComputerName 127.0.0.1 -Port {sshd.Port} -UserName {sshd.UserName} -KeyFile '{sshd.Ed25519KeyPath}' -KnownHostsFile '{remote.KnownHosts}'";
        var found = _ps.Run($"Find-WpSite {connection} -Path $p | Register-WpSite -ConfigPath $inv -Tag remote -PassThru",
            new Dictionary<string, object?> { ["p"] = remote.WebRoot, ["inv"] = inventory }).ShouldSucceed().Single<WpSite>();

        var text = File.ReadAllText(inventory);
        Assert.Contains($"""
            hosts:
              "127.0.0.1":
                port: {sshd.Port}
                user: {sshd.UserName}
                keyFile: {sshd.Ed25519KeyPath}
                knownHostsFile: {remote.KnownHosts}
            sites:
              - name: reg-remote.example
                host: "127.0.0.1"
                root: {remote.Site.Root}
                tags: [remote]
            """, text);
        Assert.DoesNotContain(remote.Site.Password, text);

        var site = _ps.Run("Get-WpSite -ConfigPath $inv", new Dictionary<string, object?> { ["inv"] = inventory }).ShouldSucceed().Single<WpSite>();
        Assert.Equal((found.Name, found.Root, found.ConfigPath, found.Database.Name), (site.Name, site.Root, site.ConfigPath, site.Database.Name));
        Assert.Equal(found.Ssh!.ToString(), site.Ssh!.ToString());
    }

    public void Dispose()
    {
        _ps.Dispose();
        foreach (var site in _sites)
            site.Dispose();
        _temp.Dispose();
    }
}
