using System.Text;
using WpBackup.Core.Inventory;

namespace WpBackup.Tests.Inventory;

/// <summary>Documents built to exhaust memory or time are refused early, with memory bounded by the text.</summary>
public sealed class InventoryLimitsTests
{
    /// <summary>"Billion laughs": nine levels of nine aliases each, 9^9 (387 million) leaves when written out.</summary>
    private static string BillionLaughs()
    {
        var text = new StringBuilder("defaults:\n  exclude: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        text.Append("presets:\n");
        for (var level = 1; level <= 9; level++)
            text.Append($"  p{level}:\n    exclude: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 9))}]\n");
        return text.ToString();
    }

    private static (InventoryException Error, long Allocated, TimeSpan Took) Measure(string yaml)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = InventoryText.Fails(yaml);
        return (error, GC.GetAllocatedBytesForCurrentThread() - before, clock.Elapsed);
    }

    [Fact]
    public void An_alias_bomb_is_refused_with_bounded_memory()
    {
        var yaml = BillionLaughs();
        Assert.True(yaml.Length < 1000);
        var (error, allocated, took) = Measure(yaml);
        Assert.Equal(InventoryErrors.TooComplex, error.ErrorId);
        Assert.Contains("alias bomb", error.Message);
        Assert.Equal(13, error.Line); // p5's list: its second alias passes the 100,000-node budget (p4 alone is 66,430 nodes)
        Assert.True(allocated < 16 << 20, $"allocated {allocated:N0} bytes");
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
    }

    [Fact]
    public void A_merge_key_bomb_is_refused_too()
    {
        var text = new StringBuilder("x0: &x0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n");
        for (var level = 1; level <= 12; level++)
            text.Append($"x{level}: &x{level} {{<<: [{string.Join(", ", Enumerable.Repeat($"*x{level - 1}", 8))}]}}\n");
        var (error, allocated, _) = Measure(text.ToString());
        Assert.Equal(InventoryErrors.TooComplex, error.ErrorId);
        Assert.True(allocated < 16 << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var error = InventoryText.Fails("sites: " + new string('[', 5000) + new string(']', 5000) + "\n");
        Assert.Equal(InventoryErrors.TooComplex, error.ErrorId);
        Assert.Contains("deeper than 64", error.Message);
    }

    [Fact]
    public void Modest_aliasing_below_the_budget_is_fine()
    {
        var text = new StringBuilder("defaults:\n  exclude: &e [a, b, c, d, e, f, g, h, i, j]\nsites:\n");
        for (var i = 0; i < 500; i++)
            text.Append($"  - {{name: site{i}, root: /srv/{i}, exclude: *e, tags: [t{i % 7}]}}\n");
        var inventory = InventoryText.Parse(text.ToString());
        Assert.Equal(500, inventory.Sites.Count);
        Assert.Equal(71, inventory.Select(null, ["t3"]).Count());
    }
}
