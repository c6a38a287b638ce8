using System.Globalization;

namespace WpBackup.Cmdlets;

/// <summary>
/// How the module's format views (WpBackup.format.ps1xml) show values: sizes as "1.2 GB", times in
/// local time, durations as "12.3 s" or "1:02:03". Only the display changes; the objects keep exact
/// values (bytes, UTC, TimeSpan), so filtering and sorting work on those.
/// </summary>
public static class Display
{
    /// <summary>"512 B", "1.2 KB", "34 MB", "1.2 GB"; empty for null.</summary>
    public static string Size(object? bytes) => bytes switch
    {
        null => "",
        long n => Sizes.Human(n),
        _ => Sizes.Human(Convert.ToInt64(bytes, CultureInfo.InvariantCulture)),
    };

    /// <summary>A size with its exact byte count: "1.2 GB (1,288,490,189 bytes)".</summary>
    public static string SizeWithBytes(object? bytes) =>
        bytes is null ? "" : $"{Size(bytes)} ({Convert.ToInt64(bytes, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture)} bytes)";

    /// <summary>A UTC time in this machine's time zone, to the minute: "2026-11-25 03:00".</summary>
    public static string LocalTime(DateTime utc) => ToLocal(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A UTC time in this machine's time zone, with seconds and offset: "2026-11-25 03:00:07 +02:00".</summary>
    public static string LocalTimeWithOffset(DateTime utc) => ToLocal(utc).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    /// <summary>"0.4 s", "42.0 s", "3:05" (minutes), "1:02:03" (hours).</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalSeconds < 60 ? span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : span.TotalHours < 1 ? span.ToString(@"m\:ss", CultureInfo.InvariantCulture)
        : ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + span.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture);

    /// <summary>Key/value pairs as "key=value; key=value", sorted by key.</summary>
    public static string Pairs(IEnumerable<KeyValuePair<string, string>>? pairs) =>
        pairs is null ? "" : string.Join("; ", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static DateTimeOffset ToLocal(DateTime time) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time), TimeZoneInfo.Local);
}
