using WpBackup.Sandbox;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Remote;

/// <summary>A real WordPress site in the SSH test user's home, owned by that user, its database on the MariaDB fixture.</summary>
public sealed class RemoteSite : IDisposable
{
    public RemoteSite(SshdFixture sshd, MariaDbFixture db, string host, int posts = 60, bool toolLess = false)
    {
        Sshd = sshd;
        UserName = toolLess ? SshdFixture.ToolLessUserName : sshd.UserName;
        WebRoot = Path.Combine(toolLess ? sshd.ToolLessHome : sshd.UserHome, "www-" + Guid.NewGuid().ToString("N")[..8]);
        Site = WordPressSiteBuilder.Build(Path.Combine(WebRoot, host, "htdocs"), db.Server, new SiteOptions { HostName = host, PostCount = posts, UploadsBytes = 1 << 20 });
        ChownToUser(WebRoot);
        KnownHosts = sshd.NewKnownHostsFile();
    }

    public SshdFixture Sshd { get; }
    /// <summary>The login that owns the site.</summary>
    public string UserName { get; }
    public string WebRoot { get; }
    public DemoSite Site { get; }
    public string KnownHosts { get; }

    /// <summary>PowerShell connection parameters for the test user with the plain ed25519 key.</summary>
    public string Connection => Sshd.Connection(KnownHosts, UserName);

    public void ChownToUser(string path) =>
        Assert.Equal(0, Processes.Run("chown", "-R", $"{UserName}:{UserName}", path).ExitCode);

    public void Dispose()
    {
        try { Directory.Delete(WebRoot, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
