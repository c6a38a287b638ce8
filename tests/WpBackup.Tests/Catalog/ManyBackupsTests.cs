using System.Diagnostics;
using System.Globalization;
using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Retention;
using WpBackup.Core.Sites;
using WpBackup.Tests.Formatting;
using WpBackup.Tests.Support;
using Xunit.Abstractions;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Catalog;

/// <summary>
/// One destination holding 5,000 backups of one site: listing and retention planning stay quick
/// and right. Three real backups are made; the rest are byte-identical copies of their archives
/// with sidecars written by the engine's own manifest writer under new ids and times, which is all
/// a listing reads (bench/incremental.sh measures the same with Get-WpBackup over 5,000 sidecars).
/// </summary>
public sealed class ManyBackupsTests(ITestOutputHelper output) : IDisposable
{
    private const int Count = 5000;
    private const string SiteName = "many.example";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    /// <summary>The newest clone; the others are every 2 hours before it (about 14 months in all).</summary>
    private static readonly DateTime Newest = new(2026, 11, 30, 22, 0, 0, DateTimeKind.Utc);

    private readonly TempFolder _temp = new();

    private string Destination => _temp.Combine("backups");

    private void Fill()
    {
        var root = MiniSite.Create(_temp.Combine("www", SiteName, "htdocs"));
        var site = new SiteFinder().Describe(WpBackup.Core.Hosts.LocalHost.Instance, root);
        var originals = new List<BackupInfo>();
        for (var n = 0; n < 3; n++)
        {
            File.WriteAllText(Path.Combine(root, "wp-content", "uploads", "a.txt"), $"version {n}");
            originals.Add(new BackupRunner(NullReporter.Instance).Run(new BackupRequest { Site = site, Type = BackupType.Files, Destination = Destination }));
        }
        var sidecars = originals.Select(b => BackupManifest.FromJson(File.ReadAllBytes(b.SidecarPath))).ToList();
        for (var i = 0; i < Count; i++)
        {
            var created = Newest - TimeSpan.FromHours(2 * i);
            var id = created.ToString(BackupCatalog.IdFormat, CultureInfo.InvariantCulture);
            var source = originals[i % 3];
            var manifest = sidecars[i % 3];
            var archive = Path.Combine(Destination, SiteName, id + ArchiveLayout.ArchiveExtension);
            File.Copy(source.Path, archive);
            manifest.Id = id;
            manifest.Created = new DateTimeOffset(created);
            manifest.Archive = Path.GetFileName(archive);
            File.WriteAllBytes(BackupCatalog.SidecarPathFor(archive), manifest.ToJson());
        }
        foreach (var original in originals)
            BackupCatalog.Remove(original);
    }

    /// <summary>What -KeepDaily 7 -KeepWeekly 4 -KeepMonthly 12 in UTC keeps, worked out without the planner: the newest backup of each of the most recent buckets.</summary>
    private static HashSet<string> ExpectedKept(IReadOnlyList<DateTime> created)
    {
        IEnumerable<DateTime> NewestOfEach<TKey>(Func<DateTime, TKey> bucket, int buckets) =>
            created.GroupBy(bucket).Select(g => g.Max()).OrderDescending().Take(buckets);
        var kept = NewestOfEach(t => t.Date, 7)
            .Concat(NewestOfEach(t => (ISOWeek.GetYear(t), ISOWeek.GetWeekOfYear(t)), 4))
            .Concat(NewestOfEach(t => (t.Year, t.Month), 12))
            .Append(created.Max());
        return kept.Select(t => t.ToString(BackupCatalog.IdFormat, CultureInfo.InvariantCulture)).ToHashSet();
    }

    [Fact]
    public void Five_thousand_backups_of_one_site_are_listed_and_planned_quickly_and_correctly()
    {
        var fill = Stopwatch.StartNew();
        Fill();
        output.WriteLine($"made 3 real backups and {Count:N0} copies in {fill.Elapsed.TotalSeconds:F2} s");
        var host = new TextHost();
        using var ps = new PowerShellSession(host: host);
        var vars = new Dictionary<string, object?> { ["d"] = Destination };
        ps.Run("Get-WpBackup -Destination $d -Newest 1", vars).ShouldSucceed(); // loads the module's code paths once

        var listing = Stopwatch.StartNew();
        var listed = ps.Run("Get-WpBackup -Destination $d", vars).ShouldSucceed().All<BackupInfo>().ToList();
        listing.Stop();
        output.WriteLine($"Get-WpBackup listed {listed.Count:N0} backups in {listing.Elapsed.TotalSeconds:F2} s");

        Assert.Equal(Count, listed.Count);
        Assert.Equal(Count, listed.Select(b => b.Id).Distinct().Count());
        Assert.Equal(listed.OrderByDescending(b => b.Created).Select(b => b.Id), listed.Select(b => b.Id));
        var archiveSizes = listed.Select(b => b.Size).Distinct().ToList();
        Assert.InRange(archiveSizes.Count, 1, 3); // copies of three archives
        Assert.All(listed, b => Assert.Equal(new FileInfo(b.Path).Length, b.Size));

        var policy = new RetentionPolicy { KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 12, TimeZone = TimeZoneInfo.Utc };
        var planning = Stopwatch.StartNew();
        var plan = RetentionPlanner.Plan(listed, policy, DateTime.UtcNow, listed);
        planning.Stop();
        var kept = plan.Kept.Select(d => d.Backup.Id).ToHashSet();
        var expected = ExpectedKept(listed.Select(b => b.Created).ToList());
        output.WriteLine($"RetentionPlanner kept {kept.Count} of {Count:N0} in {planning.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(expected.Order(StringComparer.Ordinal), kept.Order(StringComparer.Ordinal));
        Assert.Equal(Count - kept.Count, plan.Removed.Count());

        var whatIf = Stopwatch.StartNew();
        ps.Run($"Remove-WpBackup -Site {SiteName} -Destination $d -KeepDaily 7 -KeepWeekly 4 -KeepMonthly 12 -TimeZone UTC -WhatIf", vars).ShouldSucceed();
        whatIf.Stop();
        var lines = host.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        output.WriteLine($"Remove-WpBackup -WhatIf judged {lines.Length:N0} backups in {whatIf.Elapsed.TotalSeconds:F2} s");
        var keptByCmdlet = lines.Where(l => l.StartsWith($"What if: Keep {SiteName}/", StringComparison.Ordinal))
            .Select(l => l[$"What if: Keep {SiteName}/".Length..].Split(' ')[0]).ToHashSet();
        Assert.Equal(Count, lines.Count(l => l.StartsWith("What if: ", StringComparison.Ordinal)));
        Assert.Equal(expected.Order(StringComparer.Ordinal), keptByCmdlet.Order(StringComparer.Ordinal));
        Assert.Equal(2 * Count, Directory.GetFiles(Path.Combine(Destination, SiteName)).Length); // -WhatIf removed nothing

        Assert.True(listing.Elapsed < Bound, $"listing took {listing.Elapsed}");
        Assert.True(planning.Elapsed < Bound, $"planning took {planning.Elapsed}");
        Assert.True(whatIf.Elapsed < Bound, $"Remove-WpBackup -WhatIf took {whatIf.Elapsed}");
    }

    public void Dispose() => _temp.Dispose();
}
