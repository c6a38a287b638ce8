namespace WpBackup.Core.Retention;

/// <summary>Why a retention plan keeps or removes a backup.</summary>
public enum RetentionRule
{
    /// <summary>Among the newest N backups (-KeepLast).</summary>
    KeepLast,
    /// <summary>The newest backup of one of the N most recent clock hours that have a backup (-KeepHourly).</summary>
    KeepHourly,
    /// <summary>The newest backup of one of the N most recent calendar days that have a backup (-KeepDaily).</summary>
    KeepDaily,
    /// <summary>The newest backup of one of the N most recent ISO weeks that have a backup (-KeepWeekly).</summary>
    KeepWeekly,
    /// <summary>The newest backup of one of the N most recent calendar months that have a backup (-KeepMonthly).</summary>
    KeepMonthly,
    /// <summary>The newest backup of one of the N most recent calendar years that have a backup (-KeepYearly).</summary>
    KeepYearly,
    /// <summary>Made within the given span before the newest backup (-KeepWithin).</summary>
    KeepWithin,
    /// <summary>Younger than -OlderThan, so not a candidate for removal.</summary>
    NotOlderThan,
    /// <summary>The newest backup of its site (kept unless -Force).</summary>
    Newest,
    /// <summary>Not among the backups the request names (used to say why a parent is kept).</summary>
    NotSelected,
    /// <summary>A backup that stays depends on it through its Parent chain.</summary>
    ParentOfKept,
    /// <summary>Removed: no rule keeps it.</summary>
    Unmatched,
}

/// <summary>The names a user sees for <see cref="RetentionRule"/> values.</summary>
public static class RetentionRules
{
    /// <summary>The bucket rules, in the order they are applied and reported.</summary>
    public static IReadOnlyList<RetentionRule> Buckets { get; } =
        [RetentionRule.KeepLast, RetentionRule.KeepHourly, RetentionRule.KeepDaily, RetentionRule.KeepWeekly, RetentionRule.KeepMonthly, RetentionRule.KeepYearly];

    /// <summary>keep-last, keep-hourly, … (restic's names), -OlderThan, newest, …</summary>
    public static string Name(RetentionRule rule) => rule switch
    {
        RetentionRule.KeepLast => "keep-last",
        RetentionRule.KeepHourly => "keep-hourly",
        RetentionRule.KeepDaily => "keep-daily",
        RetentionRule.KeepWeekly => "keep-weekly",
        RetentionRule.KeepMonthly => "keep-monthly",
        RetentionRule.KeepYearly => "keep-yearly",
        RetentionRule.KeepWithin => "keep-within",
        RetentionRule.NotOlderThan => "younger than -OlderThan",
        RetentionRule.Newest => "newest of its site",
        RetentionRule.NotSelected => "not selected for removal",
        RetentionRule.ParentOfKept => "parent of a kept backup",
        RetentionRule.Unmatched => "no rule keeps it",
        _ => rule.ToString(),
    };

    /// <summary>True for the rules a policy states (keep-last … keep-within).</summary>
    public static bool IsKeepRule(RetentionRule rule) => rule <= RetentionRule.KeepWithin;
}
