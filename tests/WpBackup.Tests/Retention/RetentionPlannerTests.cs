using WpBackup.Core.Retention;
using static WpBackup.Tests.Retention.Synthetic;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Retention;

/// <summary>Small calendars whose answers are worked out by hand.</summary>
public sealed class RetentionPlannerTests
{
    private static readonly DateTime Now = Utc("2026-11-25 03:00");

    private static RetentionPlan Plan(IEnumerable<BackupInfo> backups, RetentionPolicy policy, IEnumerable<BackupInfo>? catalog = null) =>
        RetentionPlanner.Plan(backups, policy, Now, catalog);

    private static string[] KeptIds(RetentionPlan plan) => plan.Kept.Select(d => d.Backup.Id).Order().ToArray();

    private static string[] RemovedIds(RetentionPlan plan) => plan.Removed.Select(d => d.Backup.Id).Order().ToArray();

    [Fact]
    public void KeepLast_and_OlderThan_combine_and_the_newest_survives_unless_forced()
    {
        var backups = new[] { 0, 1, 2, 10, 40, 41 }.Select(d => Backup(Now.AddDays(-d))).ToList();
        int[] DaysRemoved(RetentionPlan plan) => plan.Removed.Select(d => (Now - d.Backup.Created).Days).ToArray();

        Assert.Equal([40, 41], DaysRemoved(Plan(backups, new RetentionPolicy { OlderThan = TimeSpan.FromDays(30) })));
        Assert.Equal([2, 10, 40, 41], DaysRemoved(Plan(backups, new RetentionPolicy { KeepLast = 2 })));
        Assert.Equal([41], DaysRemoved(Plan(backups, new RetentionPolicy { OlderThan = TimeSpan.FromDays(5), KeepLast = 5 })));

        var chosen = Plan(backups, new RetentionPolicy());
        var kept = Assert.Single(chosen.Kept);
        Assert.Equal("keep: newest backup of its site (kept unless -Force)", kept.Summary);
        Assert.True(kept.Because(RetentionRule.Newest));
        Assert.All(Plan(backups, new RetentionPolicy { Force = true }).Decisions, d => Assert.False(d.Keep));

        var aged = Plan(backups, new RetentionPolicy { OlderThan = TimeSpan.FromDays(30) });
        Assert.Equal("keep: younger than -OlderThan 30 days", aged.Decisions[3].Summary);
        Assert.Equal("remove: older than 30 days", aged.Decisions[4].Summary);
    }

    [Fact]
    public void KeepDaily_counts_only_days_that_have_backups_and_keeps_the_newest_of_each()
    {
        var backups = new[] { "2026-01-01 08:00", "2026-01-01 20:00", "2026-01-03 09:00", "2026-01-07 10:00", "2026-01-07 11:00", "2026-01-07 23:59", "2026-01-08 00:00" }
            .Select(t => Backup(Utc(t))).ToList();

        var utc = Plan(backups, new RetentionPolicy { KeepDaily = 3, TimeZone = TimeZoneInfo.Utc });
        Assert.Equal(["2026-01-03_09-00-00", "2026-01-07_23-59-00", "2026-01-08_00-00-00"], KeptIds(utc));
        Assert.Equal(
            ["keep: keep-daily 2026-01-08 (1 of 3); newest backup of its site (kept unless -Force)", "keep: keep-daily 2026-01-07 (2 of 3)", "keep: keep-daily 2026-01-03 (3 of 3)"],
            utc.Kept.Select(d => d.Summary));
        Assert.All(utc.Removed, d => Assert.Equal("remove: kept by none of keep-daily 3", d.Summary));

        // In Berlin (UTC+1) 23:59 UTC is already the next day: 2026-01-07 ends at 22:59 UTC.
        var berlin = Plan(backups, new RetentionPolicy { KeepDaily = 3, TimeZone = Berlin });
        Assert.Equal(["2026-01-03_09-00-00", "2026-01-07_11-00-00", "2026-01-08_00-00-00"], KeptIds(berlin));
    }

    [Fact]
    public void KeepWithin_counts_back_from_the_newest_backup_not_from_now()
    {
        var backups = new[] { 90.0, 92, 93, 93.01, 120 }.Select(d => Backup(Now.AddDays(-d))).ToList();
        var plan = Plan(backups, new RetentionPolicy { KeepWithin = TimeSpan.FromDays(3) });
        Assert.Equal([true, true, true, false, false], plan.Decisions.Select(d => d.Keep));
        Assert.StartsWith("keep: keep-within 3 days of the newest (2026-08-27 03:00:00Z)", plan.Decisions[2].Summary);
    }

    [Fact]
    public void Rules_combine_as_a_union_and_every_rule_that_keeps_a_backup_is_named()
    {
        var backups = new[] { "2026-01-10 12:00", "2026-02-10 12:00", "2026-02-20 12:00", "2026-03-05 12:00", "2026-03-06 12:00" }
            .Select(t => Backup(Utc(t))).ToList();
        var plan = Plan(backups, new RetentionPolicy { KeepLast = 2, KeepMonthly = 2, TimeZone = TimeZoneInfo.Utc });
        Assert.Equal(
        [
            "a.example/2026-03-06_12-00-00: keep: keep-last (1 of 2); keep-monthly 2026-03 (1 of 2); newest backup of its site (kept unless -Force)",
            "a.example/2026-03-05_12-00-00: keep: keep-last (2 of 2)",
            "a.example/2026-02-20_12-00-00: keep: keep-monthly 2026-02 (2 of 2)",
            "a.example/2026-02-10_12-00-00: remove: kept by none of keep-last 2, keep-monthly 2",
            "a.example/2026-01-10_12-00-00: remove: kept by none of keep-last 2, keep-monthly 2",
        ], plan.Decisions.Select(d => d.ToString()));
        Assert.Equal("2026-02", plan.Decisions[2].Reasons.Single().Bucket);
    }

    [Theory] // The repeated hour of a fall-back is two hourly buckets: 4 hours hold 4 kept backups.
    [InlineData("Europe/Berlin", new[] { "2026-10-24 23:50", "2026-10-25 00:10", "2026-10-25 00:40", "2026-10-25 01:10", "2026-10-25 01:40", "2026-10-25 02:10" })]
    [InlineData("America/New_York", new[] { "2026-11-01 04:50", "2026-11-01 05:10", "2026-11-01 05:40", "2026-11-01 06:10", "2026-11-01 06:40", "2026-11-01 07:10" })]
    public void KeepHourly_treats_the_repeated_hour_of_a_fall_back_as_two_hours(string zone, string[] utc)
    {
        var backups = utc.Select(t => Backup(Utc(t))).ToList();
        var plan = Plan(backups, new RetentionPolicy { KeepHourly = 4, TimeZone = Zone(zone) });
        // Newest of: the hour after the change, the second and the first pass of the repeated hour, the hour before.
        Assert.Equal([true, true, false, true, false, true], plan.Decisions.Select(d => d.Keep));
        var buckets = plan.Kept.Select(d => d.Reasons.First(r => r.Rule == RetentionRule.KeepHourly).Bucket).ToArray();
        Assert.Equal(zone == "Europe/Berlin"
            ? ["2026-10-25 03:00+01:00", "2026-10-25 02:00+01:00", "2026-10-25 02:00+02:00", "2026-10-25 01:00+02:00"]
            : ["2026-11-01 02:00-05:00", "2026-11-01 01:00-05:00", "2026-11-01 01:00-04:00", "2026-11-01 00:00-04:00"], buckets);
    }

    [Fact]
    public void KeepHourly_has_no_bucket_for_the_hour_a_spring_forward_skips()
    {
        // Berlin, 2026-03-29: 01:00+01, 01:30+01, then 03:00+02, 03:30+02, 04:00+02 (02:xx never happens).
        var backups = new[] { "2026-03-29 00:00", "2026-03-29 00:30", "2026-03-29 01:00", "2026-03-29 01:30", "2026-03-29 02:00" }.Select(t => Backup(Utc(t))).ToList();
        var plan = Plan(backups, new RetentionPolicy { KeepHourly = 3, TimeZone = Berlin });
        Assert.Equal(["2026-03-29_00-30-00", "2026-03-29_01-30-00", "2026-03-29_02-00-00"], KeptIds(plan));
        Assert.Equal("keep: keep-hourly 2026-03-29 01:00+01:00 (3 of 3)", plan.Decisions.Single(d => d.Backup.Id == "2026-03-29_00-30-00").Summary);
    }

    [Fact]
    public void KeepDaily_keeps_one_backup_for_a_25_hour_day()
    {
        // Berlin's 2026-10-25 runs from 22:00 UTC on the 24th to 23:00 UTC on the 25th.
        var backups = new[] { "2026-10-24 21:30", "2026-10-24 22:30", "2026-10-25 01:30", "2026-10-25 22:30", "2026-10-25 23:30" }.Select(t => Backup(Utc(t))).ToList();
        var plan = Plan(backups, new RetentionPolicy { KeepDaily = 3, TimeZone = Berlin });
        Assert.Equal(["2026-10-24_21-30-00", "2026-10-25_22-30-00", "2026-10-25_23-30-00"], KeptIds(plan));
        Assert.Equal(["2026-10-24_22-30-00", "2026-10-25_01-30-00"], RemovedIds(plan));
    }

    [Fact]
    public void Each_site_and_each_destination_is_planned_on_its_own()
    {
        var backups = new List<BackupInfo>();
        foreach (var (site, folder) in new[] { ("a.example", "/one"), ("b.example", "/one"), ("a.example", "/two") })
            backups.AddRange(new[] { "2026-01-01 10:00", "2026-01-02 10:00", "2026-01-03 10:00" }.Select(t => Backup(Utc(t), site, folder: folder)));
        var plan = Plan(backups, new RetentionPolicy { KeepLast = 1 });
        Assert.Equal(["/one/a.example/2026-01-03_10-00-00.tar.zst", "/two/a.example/2026-01-03_10-00-00.tar.zst", "/one/b.example/2026-01-03_10-00-00.tar.zst"],
            plan.Kept.Select(d => d.Backup.Path));
        Assert.Equal(6, plan.Removed.Count());
    }

    [Fact]
    public void The_newest_of_the_destination_counts_even_when_it_was_not_passed_in()
    {
        var all = new[] { "2026-01-01 10:00", "2026-01-02 10:00", "2026-01-03 10:00" }.Select(t => Backup(Utc(t))).ToList();
        var plan = Plan(all.Take(2), new RetentionPolicy(), catalog: all);
        Assert.Equal(2, plan.Decisions.Count);
        Assert.All(plan.Decisions, d => Assert.False(d.Keep));
        Assert.All(plan.Decisions, d => Assert.Equal("remove: chosen for removal, no keep rule", d.Summary));
    }

    /// <summary>The calendar of docs/retention.md's worked example, in Europe/Berlin.</summary>
    internal static List<BackupInfo> DocsCalendar() =>
    [
        Backup(Wall("2026-09-28 03:00", Berlin)),                                // a  full
        Backup(Wall("2026-10-05 03:00", Berlin)),                                // b  full
        Backup(Wall("2026-10-19 03:00", Berlin)),                                // c  full
        Backup(Wall("2026-10-22 03:00", Berlin), parent: "2026-10-19_01-00-00"), // d  incremental of c
        Backup(Wall("2026-10-24 03:00", Berlin), parent: "2026-10-22_01-00-00"), // e  incremental of d
        Backup(Wall("2026-10-25 00:30", Berlin), parent: "2026-10-24_01-00-00"), // f  incremental of e
        Backup(Wall("2026-10-25 23:30", Berlin)),                                // g  full
        Backup(Wall("2026-10-26 03:00", Berlin), parent: "2026-10-25_22-30-00"), // h  incremental of g
    ];

    [Fact]
    public void The_worked_example_of_the_documentation()
    {
        var plan = Plan(DocsCalendar(), new RetentionPolicy { KeepDaily = 3, KeepWeekly = 2, KeepMonthly = 2, TimeZone = Berlin });
        Assert.Equal(
        [
            "a.example/2026-10-26_02-00-00: keep: keep-daily 2026-10-26 (1 of 3); keep-weekly 2026-W44 (1 of 2); keep-monthly 2026-10 (1 of 2); newest backup of its site (kept unless -Force)",
            "a.example/2026-10-25_22-30-00: keep: keep-daily 2026-10-25 (2 of 3); keep-weekly 2026-W43 (2 of 2); parent of 2026-10-26_02-00-00 (kept by keep-daily, keep-weekly, keep-monthly; newest of its site)",
            "a.example/2026-10-24_22-30-00: remove: kept by none of keep-daily 3, keep-weekly 2, keep-monthly 2",
            "a.example/2026-10-24_01-00-00: keep: keep-daily 2026-10-24 (3 of 3)",
            "a.example/2026-10-22_01-00-00: keep: parent of 2026-10-24_01-00-00 (kept by keep-daily)",
            "a.example/2026-10-19_01-00-00: keep: parent of 2026-10-22_01-00-00, which 2026-10-24_01-00-00 needs (kept by keep-daily)",
            "a.example/2026-10-05_01-00-00: remove: kept by none of keep-daily 3, keep-weekly 2, keep-monthly 2",
            "a.example/2026-09-28_01-00-00: keep: keep-monthly 2026-09 (2 of 2)",
        ], plan.Decisions.Select(d => d.ToString()));

        // In UTC, f (22:30 UTC on the 24th) is the newest of 2026-10-24 and takes e's place; e, d, c stay as its chain.
        var utc = Plan(DocsCalendar(), new RetentionPolicy { KeepDaily = 3, KeepWeekly = 2, KeepMonthly = 2, TimeZone = TimeZoneInfo.Utc });
        Assert.Equal(["2026-10-05_01-00-00"], RemovedIds(utc));
        Assert.Equal("keep: parent of 2026-10-24_22-30-00 (kept by keep-daily)", utc.Decisions.Single(d => d.Backup.Id == "2026-10-24_01-00-00").Summary);
    }
}
