using System.Reflection;
using System.Text.RegularExpressions;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Examples;

/// <summary>
/// README's Guarantees table names, for each promise, the tests that demonstrate it: each name
/// must be a test of this suite (a method marked [Fact] or [Theory], or a class for Class.*), so
/// a renamed or deleted test cannot leave a promise backed by nothing.
/// </summary>
public sealed partial class GuaranteesTableTests
{
    [Fact]
    public void Every_test_the_Guarantees_table_names_exists()
    {
        var rows = GuaranteeRows().ToList();
        Assert.True(rows.Count >= 10, $"only {rows.Count} rows read from README's Guarantees table");
        var classes = typeof(GuaranteesTableTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(IsTest))
            .GroupBy(t => t.Name)
            .ToDictionary(g => g.Key, g => g.ToList());

        var missing = new List<string>();
        foreach (var (promise, tests) in rows)
        {
            Assert.True(tests.Count > 0, $"the promise '{promise[..Math.Min(60, promise.Length)]}…' names no test");
            foreach (var name in tests)
            {
                var (type, method) = (name[..name.LastIndexOf('.')], name[(name.LastIndexOf('.') + 1)..]);
                var found = classes.TryGetValue(type, out var candidates) &&
                            (method == "*" || candidates.Any(c => c.GetMethods().Any(m => m.Name == method && IsTest(m))));
                if (!found)
                    missing.Add(name);
            }
        }
        Assert.Empty(missing);
    }

    private static bool IsTest(MethodInfo method) =>
        method.GetCustomAttributes<FactAttribute>(inherit: true).Any();

    /// <returns>Each row's promise and the test names in backticks of its last column.</returns>
    private static IEnumerable<(string Promise, List<string> Tests)> GuaranteeRows()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        var start = Array.IndexOf(lines, "## Guarantees");
        Assert.True(start >= 0, "README.md has no '## Guarantees' section");
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            if (!line.StartsWith("| ", StringComparison.Ordinal) || line.StartsWith("| Promise", StringComparison.Ordinal))
                continue;
            var cells = line.Split(" | ");
            var names = TestName().Matches(cells[^1]).Select(m => m.Groups[1].Value).ToList();
            yield return (cells[0].TrimStart('|', ' '), names);
        }
    }

    [GeneratedRegex(@"`([A-Za-z0-9_]+\.(?:[A-Za-z0-9_]+|\*))`")]
    private static partial Regex TestName();
}
