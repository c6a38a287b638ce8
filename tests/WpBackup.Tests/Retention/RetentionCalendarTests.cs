using WpBackup.Core.Retention;
using static WpBackup.Tests.Retention.Synthetic;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Retention;

/// <summary>
/// Years of irregular backups, several a day, with extra ones around every DST change of Berlin and
/// New York. The expected answer of each rule is computed the simple way — group all backups by
/// bucket, take the newest of each of the N latest buckets — and the planner (which walks the
/// backups once, newest first) must match it exactly, rule by rule.
/// </summary>
public sealed class RetentionCalendarTests
{
    private static readonly DateTime Now = Utc("2026-12-01 00:00");

    /// <summary>2023-01 to 2026-11: 0 to 4 backups on most days at random seconds, plus DST-day extras.</summary>
    private static readonly List<BackupInfo> Years = BuildYears();

    /// <summary>Every 7 to 23 minutes across the fall-backs of Berlin (2026-10-25) and New York (2026-11-01).</summary>
    private static readonly List<BackupInfo> FallBackWeek = Dense(Utc("2026-10-23 00:00"), Utc("2026-11-02 12:00"), seed: 11);

    /// <summary>Every 7 to 23 minutes across the spring-forwards of New York (2026-03-08) … Berlin (2026-03-29) is in the years.</summary>
    private static readonly List<BackupInfo> SpringDays = Dense(Utc("2026-03-06 00:00"), Utc("2026-03-09 18:00"), seed: 12);

    private static List<BackupInfo> BuildYears()
    {
        var random = new Random(20260329);
        var times = new HashSet<DateTime>();
        for (var day = Utc("2023-01-01 00:00"); day < Utc("2026-11-30 00:00"); day = day.AddDays(1))
        {
            var count = random.Next(10) switch { < 3 => 0, < 6 => 1, < 8 => 2, 8 => 3, _ => 4 };
            for (var i = 0; i < count; i++)
                times.Add(day.AddSeconds(random.Next(24 * 3600)));
        }
        foreach (var year in new[] { 2023, 2024, 2025, 2026 })
        {
            // Berlin: last Sundays of March and October. New York: second Sunday of March, first of November.
            foreach (var (date, zone) in new[] { (LastSunday(year, 3), Berlin), (LastSunday(year, 10), Berlin), (NthSunday(year, 3, 2), NewYork), (NthSunday(year, 11, 1), NewYork) })
            {
                if (date > new DateOnly(2026, 11, 29))
                    continue;
                // Just after the day starts, around the change, and just before the day ends, in local time.
                foreach (var clock in new[] { "00:05", "00:55", "01:55", "03:05", "23:55" })
                {
                    var wall = DateTime.Parse($"{date:yyyy-MM-dd} {clock}", System.Globalization.CultureInfo.InvariantCulture);
                    if (!zone.IsAmbiguousTime(wall))
                        times.Add(Wall($"{date:yyyy-MM-dd} {clock}", zone));
                }
                // Both passes of a repeated hour (UTC instants, as the wall clock is ambiguous there).
                var change = date.ToDateTime(new TimeOnly(0, 0), DateTimeKind.Utc).AddHours(zone == Berlin ? 1 : date.Month == 3 ? 7 : 6);
                times.Add(change.AddMinutes(-30));
                times.Add(change.AddMinutes(30));
            }
        }
        return times.Order().Select(t => Backup(t)).ToList();
    }

    private static List<BackupInfo> Dense(DateTime from, DateTime to, int seed)
    {
        var random = new Random(seed);
        var list = new List<BackupInfo>();
        for (var t = from; t < to; t = t.AddSeconds(random.Next(7 * 60, 23 * 60)))
            list.Add(Backup(t));
        return list;
    }

    private static DateOnly LastSunday(int year, int month)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(int)last.DayOfWeek);
    }

    private static DateOnly NthSunday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays((7 - (int)first.DayOfWeek) % 7 + 7 * (n - 1));
    }

    // The expected buckets, computed without RetentionBuckets: the local time is UTC plus the zone's offset at that instant.
    private static DateTime LocalClock(BackupInfo b, TimeZoneInfo zone) => b.Created + zone.GetUtcOffset(b.Created);

    private static long Bucket(RetentionRule rule, BackupInfo b, TimeZoneInfo zone)
    {
        var local = LocalClock(b, zone);
        return rule switch
        {
            RetentionRule.KeepLast => b.Created.Ticks,
            // A real hour: in whole-hour-offset zones a local clock hour is exactly one UTC hour.
            RetentionRule.KeepHourly => b.Created.Ticks / TimeSpan.TicksPerHour,
            RetentionRule.KeepDaily => local.Date.Ticks,
            // An ISO week is named by its Monday.
            RetentionRule.KeepWeekly => local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)).Ticks,
            RetentionRule.KeepMonthly => local.Year * 12L + local.Month,
            RetentionRule.KeepYearly => local.Year,
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
    }

    private static HashSet<string> Expected(List<BackupInfo> backups, RetentionRule rule, int count, TimeZoneInfo zone) =>
        backups.GroupBy(b => Bucket(rule, b, zone))
            .OrderByDescending(g => g.Key)
            .Take(count)
            .Select(g => g.MaxBy(b => b.Created)!.Id)
            .ToHashSet();

    private static void AssertPlanMatches(List<BackupInfo> backups, RetentionPolicy policy)
    {
        Assert.All(backups, b => Assert.Equal(0, policy.TimeZone.GetUtcOffset(b.Created).Ticks % TimeSpan.TicksPerHour));
        var plan = RetentionPlanner.Plan(backups, policy, Now);
        Assert.Equal(backups.Count, plan.Decisions.Count);

        var expectedKept = new HashSet<string> { backups.MaxBy(b => b.Created)!.Id };
        foreach (var rule in RetentionRules.Buckets)
        {
            if (policy.Count(rule) is not int count)
                continue;
            var expected = Expected(backups, rule, count, policy.TimeZone);
            Assert.Equal(Math.Min(count, backups.Select(b => Bucket(rule, b, policy.TimeZone)).Distinct().Count()), expected.Count);
            var actual = plan.Decisions.Where(d => d.Because(rule)).Select(d => d.Backup.Id).ToHashSet();
            Assert.True(expected.SetEquals(actual), $"{RetentionRules.Name(rule)} {count} in {policy.TimeZone.Id}: missing {string.Join(", ", expected.Except(actual))}; extra {string.Join(", ", actual.Except(expected))}");
            expectedKept.UnionWith(expected);
        }
        if (policy.KeepWithin is TimeSpan within)
        {
            var newest = backups.Max(b => b.Created);
            var expected = backups.Where(b => b.Created >= newest - within).Select(b => b.Id).ToHashSet();
            Assert.True(expected.SetEquals(plan.Decisions.Where(d => d.Because(RetentionRule.KeepWithin)).Select(d => d.Backup.Id)));
            expectedKept.UnionWith(expected);
        }

        var kept = plan.Kept.Select(d => d.Backup.Id).ToHashSet();
        Assert.True(expectedKept.SetEquals(kept), $"kept: missing {string.Join(", ", expectedKept.Except(kept))}; extra {string.Join(", ", kept.Except(expectedKept))}");
        Assert.All(plan.Removed, d => Assert.Equal(RetentionRule.Unmatched, Assert.Single(d.Reasons).Rule));
        Assert.NotEmpty(plan.Removed);
    }

    public static TheoryData<string, string> YearPolicies()
    {
        var data = new TheoryData<string, string>();
        foreach (var zone in new[] { "UTC", "Europe/Berlin", "America/New_York" })
            foreach (var policy in new[] { "daily 10", "daily 500", "weekly 70", "monthly 30", "yearly 10", "last 3, hourly 30, daily 14, weekly 8, monthly 24, yearly 2", "within 40, monthly 6" })
                data.Add(zone, policy);
        return data;
    }

    private static RetentionPolicy Parse(string text, string zone)
    {
        var policy = new RetentionPolicy { TimeZone = Zone(zone) };
        foreach (var part in text.Split(", "))
        {
            var (name, n) = (part.Split(' ')[0], int.Parse(part.Split(' ')[1]));
            policy = name switch
            {
                "last" => policy with { KeepLast = n },
                "hourly" => policy with { KeepHourly = n },
                "daily" => policy with { KeepDaily = n },
                "weekly" => policy with { KeepWeekly = n },
                "monthly" => policy with { KeepMonthly = n },
                "yearly" => policy with { KeepYearly = n },
                "within" => policy with { KeepWithin = TimeSpan.FromDays(n) },
                _ => throw new ArgumentException(part),
            };
        }
        return policy;
    }

    [Theory]
    [MemberData(nameof(YearPolicies))]
    public void Years_of_backups_keep_exactly_what_each_rule_selects(string zone, string policy)
    {
        Assert.InRange(Years.Count, 1500, 5000);
        AssertPlanMatches(Years, Parse(policy, zone));
    }

    [Theory]
    [InlineData("UTC", "hourly 60")]
    [InlineData("Europe/Berlin", "hourly 60")]
    [InlineData("Europe/Berlin", "hourly 250, daily 5")]
    [InlineData("America/New_York", "hourly 60")]
    [InlineData("America/New_York", "hourly 250, daily 12")]
    public void A_week_of_frequent_backups_across_fall_back_keeps_one_per_real_hour(string zone, string policy) =>
        AssertPlanMatches(FallBackWeek, Parse(policy, zone));

    [Theory]
    [InlineData("America/New_York", "hourly 60, daily 3")]
    [InlineData("Europe/Berlin", "hourly 100, daily 2")]
    public void Frequent_backups_across_spring_forward(string zone, string policy) =>
        AssertPlanMatches(SpringDays, Parse(policy, zone));

    [Fact]
    public void The_zone_changes_the_answer()
    {
        var policy = new RetentionPolicy { KeepDaily = 500 };
        string[] Kept(TimeZoneInfo zone) => RetentionPlanner.Plan(Years, policy with { TimeZone = zone }, Now).Kept.Select(d => d.Backup.Id).Order().ToArray();
        var utc = Kept(TimeZoneInfo.Utc);
        var berlin = Kept(Berlin);
        var newYork = Kept(NewYork);
        Assert.NotEqual(utc, berlin);
        Assert.NotEqual(berlin, newYork);
        Assert.NotEqual(utc, newYork);
    }

    [Fact]
    public void The_calendar_has_backups_in_both_passes_of_every_repeated_hour()
    {
        foreach (var (zone, dates) in new[] { (Berlin, new[] { "2023-10-29", "2024-10-27", "2025-10-26", "2026-10-25" }), (NewYork, new[] { "2023-11-05", "2024-11-03", "2025-11-02" }) })
        {
            foreach (var date in dates)
            {
                var onDay = Years.Where(b => RetentionBuckets.Day(b.Created, zone) == date).ToList();
                Assert.Contains(onDay, b => zone.IsAmbiguousTime(b.Created) && zone.GetUtcOffset(b.Created) == zone.BaseUtcOffset);
                Assert.Contains(onDay, b => zone.IsAmbiguousTime(b.Created) && zone.GetUtcOffset(b.Created) != zone.BaseUtcOffset);
            }
        }
    }
}
