namespace WpBackup.Core.Retention;

public enum RetentionAction
{
    Keep,
    Remove,
}

/// <summary>One reason for a decision: the rule, and what it matched.</summary>
/// <param name="Rule">The rule that decided.</param>
/// <param name="Text">What a user reads, e.g. "keep-daily 2026-03-14 (2 of 7)".</param>
public sealed record RetentionReason(RetentionRule Rule, string Text)
{
    /// <summary>The bucket the backup was kept for (e.g. "2026-03-14", "2026-W11"); null for rules without buckets.</summary>
    public string? Bucket { get; init; }

    /// <summary>For <see cref="RetentionRule.ParentOfKept"/>: the backup whose Parent this backup is.</summary>
    public WpBackup? Child { get; init; }

    /// <summary>For <see cref="RetentionRule.ParentOfKept"/>: the backup that stays and needs this chain (the child itself or a later descendant).</summary>
    public WpBackup? KeptDescendant { get; init; }

    public override string ToString() => Text;
}

/// <summary>What a retention plan does with one backup, and every reason why.</summary>
public sealed record RetentionDecision(WpBackup Backup, RetentionAction Action, IReadOnlyList<RetentionReason> Reasons)
{
    public bool Keep => Action == RetentionAction.Keep;

    /// <summary>True when <paramref name="rule"/> is among the reasons.</summary>
    public bool Because(RetentionRule rule) => Reasons.Any(r => r.Rule == rule);

    /// <summary>"keep: keep-daily 2026-03-14 (1 of 7); keep-monthly 2026-03 (1 of 12)" or "remove: …".</summary>
    public string Summary => (Keep ? "keep: " : "remove: ") + string.Join("; ", Reasons.Select(r => r.Text));

    public override string ToString() => $"{Backup}: {Summary}";
}
