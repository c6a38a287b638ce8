using System.Globalization;
using WpBackup.Core;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Retention;

/// <summary>Backups that exist only as objects: what the planner sees, without archives.</summary>
internal static class Synthetic
{
    public static BackupInfo Backup(DateTime utc, string site = "a.example", string? parent = null, string? id = null, string folder = "/backups")
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        id ??= utc.ToString(BackupCatalog.IdFormat, CultureInfo.InvariantCulture);
        return new BackupInfo
        {
            Id = id,
            Site = site,
            Created = utc,
            Parent = parent,
            Path = $"{folder}/{site}/{id}.tar.zst",
            ComputerName = "localhost",
            Root = $"/var/www/{site}",
        };
    }

    /// <summary>"2026-03-29 01:30" as UTC.</summary>
    public static DateTime Utc(string text) =>
        DateTime.SpecifyKind(DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), DateTimeKind.Utc);

    /// <summary>A wall-clock time in a zone ("2026-03-29 01:30" in Europe/Berlin) as UTC; the time must exist and be unambiguous.</summary>
    public static DateTime Wall(string text, TimeZoneInfo zone)
    {
        var local = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        Assert.False(zone.IsInvalidTime(local) || zone.IsAmbiguousTime(local), $"{text} is skipped or repeated in {zone.Id}");
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    public static TimeZoneInfo Zone(string id) => id == "UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);

    public static readonly TimeZoneInfo Berlin = Zone("Europe/Berlin");
    public static readonly TimeZoneInfo NewYork = Zone("America/New_York");
}
