using System.Globalization;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Retention;

/// <summary>
/// Which backups of each site to keep, in the manner of restic's <c>forget</c>: every rule
/// keeps some backups and the union of what they keep stays. See docs/retention.md.
/// </summary>
public sealed record RetentionPolicy
{
    /// <summary>Keep the newest N backups.</summary>
    public int? KeepLast { get; init; }

    /// <summary>Keep the newest backup of each of the N most recent clock hours that have one.</summary>
    public int? KeepHourly { get; init; }

    /// <summary>Keep the newest backup of each of the N most recent calendar days that have one.</summary>
    public int? KeepDaily { get; init; }

    /// <summary>Keep the newest backup of each of the N most recent ISO weeks (Monday first) that have one.</summary>
    public int? KeepWeekly { get; init; }

    /// <summary>Keep the newest backup of each of the N most recent calendar months that have one.</summary>
    public int? KeepMonthly { get; init; }

    /// <summary>Keep the newest backup of each of the N most recent calendar years that have one.</summary>
    public int? KeepYearly { get; init; }

    /// <summary>Keep every backup made within this span before the site's newest candidate (not before now), inclusive.</summary>
    public TimeSpan? KeepWithin { get; init; }

    /// <summary>Only backups older than this (measured from now) may be removed; younger ones are kept.</summary>
    public TimeSpan? OlderThan { get; init; }

    /// <summary>The zone whose calendar days, weeks, months, years and clock hours the buckets follow.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>
    /// The newest backup of a site may be removed, and a policy without rules removes every
    /// backup it is given. A backup that stays still keeps its parents.
    /// </summary>
    public bool Force { get; init; }

    /// <summary>The count of a bucket rule, or null when the policy does not use it.</summary>
    public int? Count(RetentionRule rule) => rule switch
    {
        RetentionRule.KeepLast => KeepLast,
        RetentionRule.KeepHourly => KeepHourly,
        RetentionRule.KeepDaily => KeepDaily,
        RetentionRule.KeepWeekly => KeepWeekly,
        RetentionRule.KeepMonthly => KeepMonthly,
        RetentionRule.KeepYearly => KeepYearly,
        _ => null,
    };

    /// <summary>True when the policy has a keep rule (keep-last … keep-within).</summary>
    public bool HasKeepRules => RetentionRules.Buckets.Any(r => Count(r) is not null) || KeepWithin is not null;

    /// <summary>True when the policy says nothing about what to keep or which age to remove.</summary>
    public bool IsEmpty => !HasKeepRules && OlderThan is null;

    /// <summary>
    /// Throws a <see cref="WpBackupException"/> (InvalidArgument) when a count is below 1, a span
    /// is negative, or the policy has no rule and no <see cref="Force"/>.
    /// </summary>
    /// <param name="backupsChosen">
    /// The caller named the backups one by one (they were piped in): a policy without rules then
    /// means "remove these" (but each site's newest unless forced), so it is allowed without Force.
    /// </param>
    public void Validate(bool backupsChosen = false)
    {
        foreach (var rule in RetentionRules.Buckets)
        {
            if (Count(rule) is int n && n < 1)
                throw Invalid("RetentionPolicyInvalid", $"{RetentionRules.Name(rule)} must be at least 1 (it was {n}); leave it out to not use it.");
        }
        if (KeepWithin is TimeSpan within && within <= TimeSpan.Zero)
            throw Invalid("RetentionPolicyInvalid", $"keep-within must be a positive span (it was {within}).");
        if (OlderThan is TimeSpan age && age < TimeSpan.Zero)
            throw Invalid("RetentionPolicyInvalid", $"-OlderThan must not be negative (it was {age}).");
        if (TimeZone is null)
            throw Invalid("RetentionPolicyInvalid", "A retention policy needs a time zone.");
        if (IsEmpty && !Force && !backupsChosen)
            throw Invalid("RemovalPolicyMissing",
                "Say which backups to keep: -KeepLast, -KeepHourly, -KeepDaily, -KeepWeekly, -KeepMonthly, -KeepYearly, -KeepWithin or -OlderThan; or -Force to remove all of them.");
    }

    /// <summary>"keep-daily 7, keep-weekly 4, older than 30 days (buckets in Europe/Berlin)".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        foreach (var rule in RetentionRules.Buckets)
        {
            if (Count(rule) is int n)
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{RetentionRules.Name(rule)} {n}"));
        }
        if (KeepWithin is TimeSpan within)
            parts.Add($"keep-within {Describe(within)}");
        if (OlderThan is TimeSpan age)
            parts.Add($"older than {Describe(age)}");
        if (parts.Count == 0)
            parts.Add(Force ? "remove all (-Force)" : "remove the chosen backups");
        else if (Force)
            parts.Add("-Force");
        return string.Join(", ", parts) + $" (buckets in {TimeZone.Id})";
    }

    /// <summary>"30 days", "12 hours", "90 minutes", else d.hh:mm:ss.</summary>
    public static string Describe(TimeSpan span)
    {
        static string Plural(double n, string unit) =>
            string.Create(CultureInfo.InvariantCulture, $"{n} {unit}{(n == 1 ? "" : "s")}");
        if (span.Ticks % TimeSpan.TicksPerDay == 0)
            return Plural(span.TotalDays, "day");
        if (span.Ticks % TimeSpan.TicksPerHour == 0)
            return Plural(span.TotalHours, "hour");
        if (span.Ticks % TimeSpan.TicksPerMinute == 0)
            return Plural(span.TotalMinutes, "minute");
        return span.ToString("c", CultureInfo.InvariantCulture);
    }

    private static WpBackupException Invalid(string id, string message) => new(FailureKind.InvalidArgument, id, message);
}
