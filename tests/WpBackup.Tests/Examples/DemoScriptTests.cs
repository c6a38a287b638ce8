using WpBackup.Sandbox;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Shell;

namespace WpBackup.Tests.Examples;

/// <summary>README's main job, examples/demo.ps1, run as a whole process by the wpbackup host against a real site.</summary>
[Collection("mariadb")]
public sealed class DemoScriptTests(MariaDbFixture fixture)
{
    [Fact]
    public async Task Demo_backs_up_breaks_and_restores_a_real_site()
    {
        var www = fixture.NewDirectory("www");
        var site = WordPressSiteBuilder.Build(Path.Combine(www, "demo.example", "htdocs"), fixture.Server, new SiteOptions { PostCount = 40 });
        var environment = new Dictionary<string, string>
        {
            ["WPBACKUP_DEMO_SITES"] = www,
            ["WPBACKUP_ROOT"] = fixture.NewDirectory("backups"),
        };
        var script = Path.Combine(RepositoryRoot(), "examples", "demo.ps1");

        using var process = ShellProcess.StartWith(environment, "-File", script);
        var result = await ShellProcess.FinishAsync(process, "-File", script);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n').Select(l => l.Trim()).ToList();
        var counts = lines.Where(l => l.StartsWith("published posts: ", StringComparison.Ordinal)).ToList();
        var published = $"published posts: {site.PostCount + 1}"; // the builder's posts and WordPress's own "Hello world!"
        Assert.Equal([published, "published posts: 0", published], counts);
        Assert.Contains("site folder exists: False", lines);
        Assert.Contains("wp-config.php restored: True", lines);
        Assert.Contains("database.sql", lines);
        Assert.Contains("wpbackup.json", lines);
        Assert.DoesNotContain(site.Password, result.StdOut + result.StdErr);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WpBackup.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
