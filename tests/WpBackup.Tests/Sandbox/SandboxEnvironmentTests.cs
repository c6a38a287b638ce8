using System.Diagnostics;
using System.Runtime.Versioning;
using WpBackup.Sandbox;
using Xunit.Abstractions;

namespace WpBackup.Tests.Sandbox;

[SupportedOSPlatform("linux")] // unix sockets, file modes, Debian packages
public sealed class SandboxEnvironmentTests(ITestOutputHelper output)
{
    [Fact]
    public void Creates_a_wordops_like_layout_and_removes_everything_on_dispose()
    {
        var clock = Stopwatch.StartNew();
        var env = SandboxEnvironment.Create(new SiteOptions { PostCount = 10, UploadsBytes = 200_000 });
        output.WriteLine($"environment ready in {clock.ElapsedMilliseconds} ms at {env.BaseDir}");
        string baseDir = env.BaseDir;
        int pid = env.Server.ProcessId;
        try
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(baseDir));
            Assert.Equal(Path.Combine(baseDir, "www", "demo.example", "htdocs"), env.Site.Root);
            Assert.True(File.Exists(env.Site.ConfigPath));
            Assert.Equal("11", env.Server.Query(
                $"SELECT COUNT(*) FROM {SqlText.Identifier(env.Site.DatabaseName)}.wp_posts WHERE post_type = 'post';").Trim());

            var second = env.AddSite(new SiteOptions { HostName = "second.example", PostCount = 1, UploadsBytes = 0 });
            Assert.Equal(env.SiteRoot("second.example"), second.Root);
            Assert.NotEqual(env.Site.DatabaseName, second.DatabaseName);
            Assert.Equal(2, env.Sites.Count);
        }
        finally
        {
            env.Dispose();
        }
        Assert.False(Directory.Exists(baseDir));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }
}
