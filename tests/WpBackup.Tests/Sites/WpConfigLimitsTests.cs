using System.Management.Automation;
using System.Text;
using WpBackup.Core.Sites;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Sites;

/// <summary>
/// Find-WpSite on a wp-config.php that cannot be one (tens of MB, or binary garbage): a clear
/// error naming the file, memory bounded by the reader's cap, and the next site still found.
/// </summary>
public sealed class WpConfigLimitsTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    private string Www => _temp.Combine("www");

    private string SiteWithConfig(string name, Action<string> writeConfig)
    {
        var root = MiniSite.Create(_temp.Combine("www", name, "htdocs"), config: null);
        writeConfig(Path.Combine(root, "wp-config.php"));
        return root;
    }

    private (PipelineResult Result, long Allocated) Find()
    {
        MiniSite.Create(_temp.Combine("www", "good.example", "htdocs"));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = _ps.Run("Find-WpSite -Path $p", new Dictionary<string, object?> { ["p"] = Www });
        return (result, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private static ErrorRecord SingleError(PipelineResult result, string errorId)
    {
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ParserError, error.CategoryInfo.Category);
        Assert.Equal(["good.example"], result.All<WpSite>().Select(s => s.Name));
        return error;
    }

    [Fact]
    public void A_64_MB_wp_config_is_refused_naming_the_file_and_its_size_without_reading_it_whole()
    {
        var root = SiteWithConfig("huge.example", path =>
        {
            using var file = new StreamWriter(path, false, new UTF8Encoding(false));
            file.Write(MiniSite.LiteralConfig);
            var padding = "// " + new string('x', 1020) + "\n";
            for (var i = 0; i < 64 * 1024; i++)
                file.Write(padding);
        });
        var config = Path.Combine(root, "wp-config.php");
        Assert.True(new FileInfo(config).Length > 64L << 20);

        var (result, allocated) = Find();
        var error = SingleError(result, "WpConfigTooLarge");
        Assert.Contains($"'{config}'", error.Exception.Message);
        Assert.Contains("at least 4,194,304 bytes", error.Exception.Message);
        Assert.Contains("1,048,576-byte limit", error.Exception.Message);
        Assert.Equal(root, error.TargetObject);
        Assert.True(allocated < 32L << 20, $"Find-WpSite allocated {allocated:N0} bytes for a 64 MB wp-config.php");
    }

    [Fact]
    public void A_wp_config_just_over_1_MiB_is_refused_with_its_exact_size_and_one_at_the_limit_is_parsed()
    {
        var text = MiniSite.LiteralConfig + "// " + new string('x', WpConfigReader.MaxConfigBytes - MiniSite.LiteralConfig.Length - 4) + "\n";
        Assert.Equal(WpConfigReader.MaxConfigBytes, Encoding.UTF8.GetByteCount(text));
        SiteWithConfig("limit.example", path => File.WriteAllText(path, text));
        var over = SiteWithConfig("over.example", path => File.WriteAllText(path, text + "\n"));

        var (result, _) = Find();
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("WpConfigTooLarge", error.FullyQualifiedErrorId);
        Assert.Contains($"'{Path.Combine(over, "wp-config.php")}' on localhost is 1,048,577 bytes", error.Exception.Message);
        var sites = result.All<WpSite>().ToList();
        Assert.Equal(["good.example", "limit.example"], sites.Select(s => s.Name).Order());
        Assert.Equal("mini", sites.Single(s => s.Name == "limit.example").Database.Name);
    }

    [Fact]
    public void Binary_garbage_as_wp_config_is_refused_as_not_text_naming_the_file()
    {
        var root = SiteWithConfig("garbage.example", path =>
        {
            var bytes = new byte[64 * 1024];
            new Random(7).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
        });

        var (result, _) = Find();
        var error = SingleError(result, "WpConfigNotText");
        Assert.Contains($"'{Path.Combine(root, "wp-config.php")}' on localhost is not a PHP text file", error.Exception.Message);
        Assert.Equal(root, error.TargetObject);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
