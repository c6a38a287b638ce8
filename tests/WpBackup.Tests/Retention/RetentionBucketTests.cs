using WpBackup.Core.Errors;
using WpBackup.Core.Retention;
using static WpBackup.Tests.Retention.Synthetic;

namespace WpBackup.Tests.Retention;

/// <summary>Bucket keys on hand-checked instants: DST changes, ISO week edges, zones that move the date.</summary>
public sealed class RetentionBucketTests
{
    [Theory] // Berlin springs forward on 2026-03-29 at 01:00 UTC (02:00 CET -> 03:00 CEST): a 23-hour day.
    [InlineData("2026-03-28 22:59", "2026-03-28", "2026-03-28 23:00+01:00")]
    [InlineData("2026-03-28 23:00", "2026-03-29", "2026-03-29 00:00+01:00")]
    [InlineData("2026-03-29 00:59", "2026-03-29", "2026-03-29 01:00+01:00")]
    [InlineData("2026-03-29 01:00", "2026-03-29", "2026-03-29 03:00+02:00")]
    [InlineData("2026-03-29 21:59", "2026-03-29", "2026-03-29 23:00+02:00")]
    [InlineData("2026-03-29 22:00", "2026-03-30", "2026-03-30 00:00+02:00")]
    public void Berlin_spring_forward_day_is_one_day_of_23_hours(string utc, string day, string hour)
    {
        Assert.Equal(day, RetentionBuckets.Day(Utc(utc), Berlin));
        Assert.Equal(hour, RetentionBuckets.Hour(Utc(utc), Berlin));
    }

    [Theory] // Berlin falls back on 2026-10-25 at 01:00 UTC (03:00 CEST -> 02:00 CET): a 25-hour day, 02:xx twice.
    [InlineData("2026-10-24 21:59", "2026-10-24", "2026-10-24 23:00+02:00")]
    [InlineData("2026-10-24 22:00", "2026-10-25", "2026-10-25 00:00+02:00")]
    [InlineData("2026-10-25 00:30", "2026-10-25", "2026-10-25 02:00+02:00")]
    [InlineData("2026-10-25 01:30", "2026-10-25", "2026-10-25 02:00+01:00")]
    [InlineData("2026-10-25 22:59", "2026-10-25", "2026-10-25 23:00+01:00")]
    [InlineData("2026-10-25 23:00", "2026-10-26", "2026-10-26 00:00+01:00")]
    public void Berlin_fall_back_day_is_one_day_of_25_hours_and_the_repeated_hour_is_two_hours(string utc, string day, string hour)
    {
        Assert.Equal(day, RetentionBuckets.Day(Utc(utc), Berlin));
        Assert.Equal(hour, RetentionBuckets.Hour(Utc(utc), Berlin));
    }

    [Theory] // New York: forward on 2026-03-08 at 07:00 UTC, back on 2026-11-01 at 06:00 UTC (01:xx twice).
    [InlineData("2026-03-08 04:59", "2026-03-07", "2026-03-07 23:00-05:00")]
    [InlineData("2026-03-08 06:59", "2026-03-08", "2026-03-08 01:00-05:00")]
    [InlineData("2026-03-08 07:00", "2026-03-08", "2026-03-08 03:00-04:00")]
    [InlineData("2026-03-09 03:59", "2026-03-08", "2026-03-08 23:00-04:00")]
    [InlineData("2026-11-01 05:30", "2026-11-01", "2026-11-01 01:00-04:00")]
    [InlineData("2026-11-01 06:30", "2026-11-01", "2026-11-01 01:00-05:00")]
    [InlineData("2026-11-02 04:59", "2026-11-01", "2026-11-01 23:00-05:00")]
    [InlineData("2026-11-02 05:00", "2026-11-02", "2026-11-02 00:00-05:00")]
    public void New_York_days_and_hours_across_both_changes(string utc, string day, string hour)
    {
        Assert.Equal(day, RetentionBuckets.Day(Utc(utc), NewYork));
        Assert.Equal(hour, RetentionBuckets.Hour(Utc(utc), NewYork));
    }

    [Theory] // ISO 8601: Monday first; week 1 holds the first Thursday; the week-year can differ from the year.
    [InlineData("2026-12-31 12:00", "UTC", "2026-W53")]
    [InlineData("2027-01-03 12:00", "UTC", "2026-W53")]
    [InlineData("2027-01-04 12:00", "UTC", "2027-W01")]
    [InlineData("2024-12-30 12:00", "UTC", "2025-W01")]
    [InlineData("2026-03-29 21:59", "Europe/Berlin", "2026-W13")] // Sunday 23:59 CEST
    [InlineData("2026-03-29 22:00", "Europe/Berlin", "2026-W14")] // Monday 00:00 CEST
    [InlineData("2026-03-29 22:00", "America/New_York", "2026-W13")] // still Sunday 18:00 EDT
    public void Weeks_are_ISO_weeks_of_the_local_date(string utc, string zone, string week) =>
        Assert.Equal(week, RetentionBuckets.Week(Utc(utc), Zone(zone)));

    [Theory]
    [InlineData("UTC", "2026-12-31", "2026-12", "2026")]
    [InlineData("Europe/Berlin", "2027-01-01", "2027-01", "2027")]
    [InlineData("America/New_York", "2026-12-31", "2026-12", "2026")]
    public void The_zone_decides_the_day_month_and_year(string zone, string day, string month, string year)
    {
        var instant = Utc("2026-12-31 23:30");
        Assert.Equal(day, RetentionBuckets.Day(instant, Zone(zone)));
        Assert.Equal(month, RetentionBuckets.Month(instant, Zone(zone)));
        Assert.Equal(year, RetentionBuckets.Year(instant, Zone(zone)));
    }

    [Fact]
    public void Time_zone_names_resolve_and_unknown_ones_are_a_clear_error()
    {
        Assert.Same(TimeZoneInfo.Utc, RetentionTimeZone.Resolve("utc"));
        Assert.Same(TimeZoneInfo.Local, RetentionTimeZone.Resolve("Local"));
        Assert.Equal(TimeSpan.FromHours(2), RetentionTimeZone.Resolve(" Europe/Berlin ").GetUtcOffset(Utc("2026-07-01 12:00")));
        var error = Assert.Throws<WpBackupException>(() => RetentionTimeZone.Resolve("Mars/Olympus_Mons"));
        Assert.Equal("TimeZoneNotFound", error.ErrorId);
        Assert.Contains("Europe/Berlin", error.Message);
    }
}

public sealed class RetentionPolicyTests
{
    [Fact]
    public void A_policy_without_rules_needs_Force_unless_the_backups_were_chosen_one_by_one()
    {
        var error = Assert.Throws<WpBackupException>(() => new RetentionPolicy().Validate());
        Assert.Equal("RemovalPolicyMissing", error.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        Assert.Contains("-KeepDaily", error.Message);
        new RetentionPolicy { Force = true }.Validate();
        new RetentionPolicy().Validate(backupsChosen: true);
        new RetentionPolicy { OlderThan = TimeSpan.FromDays(30) }.Validate();
        new RetentionPolicy { KeepWithin = TimeSpan.FromHours(12) }.Validate();
    }

    [Fact]
    public void Counts_below_one_and_negative_spans_are_refused()
    {
        Assert.Equal("RetentionPolicyInvalid", Assert.Throws<WpBackupException>(() => new RetentionPolicy { KeepDaily = 0 }.Validate()).ErrorId);
        Assert.Contains("keep-weekly", Assert.Throws<WpBackupException>(() => new RetentionPolicy { KeepWeekly = -1 }.Validate()).Message);
        Assert.Throws<WpBackupException>(() => new RetentionPolicy { KeepWithin = TimeSpan.Zero }.Validate());
        Assert.Throws<WpBackupException>(() => new RetentionPolicy { KeepLast = 1, OlderThan = TimeSpan.FromDays(-1) }.Validate());
    }

    [Fact]
    public void A_policy_describes_itself()
    {
        var policy = new RetentionPolicy { KeepDaily = 7, KeepWeekly = 4, KeepWithin = TimeSpan.FromHours(36), OlderThan = TimeSpan.FromDays(30), TimeZone = Berlin };
        Assert.Equal("keep-daily 7, keep-weekly 4, keep-within 36 hours, older than 30 days (buckets in Europe/Berlin)", policy.ToString());
        Assert.Equal("remove all (-Force) (buckets in UTC)", new RetentionPolicy { Force = true, TimeZone = TimeZoneInfo.Utc }.ToString());
    }
}
