using System.Globalization;

namespace WpBackup.Core.Retention;

/// <summary>
/// The bucket a backup falls into for each bucket rule, computed from its UTC time seen in a
/// time zone. Keys are readable and sort like the times they stand for within one zone.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Day, month and year are the calendar date in the zone, whatever the day's length: a
/// 23-hour spring-forward day and a 25-hour fall-back day are each one day.</item>
/// <item>Week is the ISO 8601 week of that date (weeks start on Monday; week 1 holds the year's
/// first Thursday), keyed by ISO week-year: 2026-12-31 (a Thursday) is 2026-W53, 2027-01-03 too.</item>
/// <item>Hour is the clock hour together with the UTC offset in force. In a fall-back the clock
/// shows 02:00–02:59 twice; these are two hours that really passed, so they are two buckets
/// ("02:00+02:00" then "02:00+01:00"). In a spring-forward the skipped hour has no backups and
/// so no bucket.</item>
/// </list>
/// </remarks>
public static class RetentionBuckets
{
    /// <summary>The backup's time in the zone, with the offset in force at that instant.</summary>
    public static DateTimeOffset Local(DateTime created, TimeZoneInfo zone)
    {
        var utc = AsUtc(created);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeFromUtc(utc, zone), zone.GetUtcOffset(utc));
    }

    /// <summary>"2026-10-25 02:00+02:00": the clock hour and the offset in force.</summary>
    public static string Hour(DateTime created, TimeZoneInfo zone)
    {
        var local = Local(created, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return local.ToString("yyyy-MM-dd HH':00'", CultureInfo.InvariantCulture) + sign + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>"2026-03-29": the calendar date in the zone.</summary>
    public static string Day(DateTime created, TimeZoneInfo zone) =>
        Local(created, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"2026-W13": ISO week-year and ISO week of the date in the zone.</summary>
    public static string Week(DateTime created, TimeZoneInfo zone)
    {
        var date = Local(created, zone).DateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date):D4}-W{ISOWeek.GetWeekOfYear(date):D2}");
    }

    /// <summary>"2026-03": year and month in the zone.</summary>
    public static string Month(DateTime created, TimeZoneInfo zone) =>
        Local(created, zone).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>"2026": the year in the zone.</summary>
    public static string Year(DateTime created, TimeZoneInfo zone) =>
        Local(created, zone).ToString("yyyy", CultureInfo.InvariantCulture);

    /// <summary>The key of a bucket rule; for keep-last each backup is its own bucket (its id).</summary>
    public static string For(RetentionRule rule, WpBackup backup, TimeZoneInfo zone) => rule switch
    {
        RetentionRule.KeepLast => backup.Id,
        RetentionRule.KeepHourly => Hour(backup.Created, zone),
        RetentionRule.KeepDaily => Day(backup.Created, zone),
        RetentionRule.KeepWeekly => Week(backup.Created, zone),
        RetentionRule.KeepMonthly => Month(backup.Created, zone),
        RetentionRule.KeepYearly => Year(backup.Created, zone),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "not a bucket rule"),
    };

    /// <summary>Backup times are UTC; an unspecified kind is taken as UTC, a local one converted.</summary>
    internal static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };
}
