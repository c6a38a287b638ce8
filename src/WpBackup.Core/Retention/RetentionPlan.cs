namespace WpBackup.Core.Retention;

/// <summary>What applying a plan does with one removal: the caller's answer (ShouldProcess).</summary>
public enum RemovalConsent
{
    /// <summary>Remove it.</summary>
    Remove,
    /// <summary>Leave it (declined at a prompt); its parents then stay too.</summary>
    Skip,
    /// <summary>Only say it would be removed (-WhatIf); its parents are then reported as removable too.</summary>
    WhatIf,
}

/// <summary>How <see cref="RetentionPlan.Apply"/> asks and reports; the cmdlet maps it to ShouldProcess, WriteVerbose and WriteError.</summary>
public interface IRetentionHandler
{
    /// <summary>A backup the plan keeps.</summary>
    void Kept(RetentionDecision decision);

    /// <summary>Asked before each removal.</summary>
    RemovalConsent Confirm(RetentionDecision decision);

    /// <summary>The backup was removed (archive and sidecar).</summary>
    void Removed(RetentionDecision decision);

    /// <summary>Not removed after all: <paramref name="child"/> still depends on it, because its removal was declined or failed.</summary>
    void Held(RetentionDecision decision, WpBackup child);

    /// <summary>Removing failed; the backup's parents stay.</summary>
    void Failed(RetentionDecision decision, Exception error);
}

/// <summary>The decisions of a retention policy, ready to apply. Built by <see cref="RetentionPlanner.Plan"/>.</summary>
public sealed class RetentionPlan
{
    /// <summary>How archive paths compare: as the file system does.</summary>
    internal static readonly StringComparer PathComparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private readonly Dictionary<string, List<WpBackup>> _children;

    internal RetentionPlan(RetentionPolicy policy, IReadOnlyList<RetentionDecision> decisions, Dictionary<string, List<WpBackup>> children, IReadOnlyList<string> warnings)
    {
        Policy = policy;
        Decisions = decisions;
        _children = children;
        Warnings = warnings;
    }

    public RetentionPolicy Policy { get; }

    /// <summary>One decision per candidate, grouped by site; within a site newest first, and always every backup before its parent.</summary>
    public IReadOnlyList<RetentionDecision> Decisions { get; }

    /// <summary>Problems seen while planning, such as a kept backup whose parent is missing.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public IEnumerable<RetentionDecision> Kept => Decisions.Where(d => d.Keep);

    public IEnumerable<RetentionDecision> Removed => Decisions.Where(d => !d.Keep);

    /// <summary>Backups in the catalog whose Parent is this backup.</summary>
    public IReadOnlyList<WpBackup> ChildrenOf(WpBackup backup) =>
        _children.TryGetValue(backup.Path, out var list) ? list : [];

    /// <summary>
    /// Removes what the plan removes, children before parents. A backup is removed only once every
    /// backup that names it as Parent is gone, so a declined or failed removal never leaves an orphan.
    /// </summary>
    /// <param name="remove">Deletes one backup; default <see cref="BackupCatalog.Remove"/>.</param>
    public void Apply(IRetentionHandler handler, Action<WpBackup>? remove = null)
    {
        remove ??= b =>
        {
            if (b.Store is { } store)
                store.Remove(b);
            else
                BackupCatalog.Remove(b);
        };
        var gone = new HashSet<string>(PathComparer);
        foreach (var decision in Decisions)
        {
            if (decision.Keep)
            {
                handler.Kept(decision);
                continue;
            }
            if (ChildrenOf(decision.Backup).FirstOrDefault(c => !gone.Contains(c.Path)) is { } child)
            {
                handler.Held(decision, child);
                continue;
            }
            switch (handler.Confirm(decision))
            {
                case RemovalConsent.WhatIf:
                    gone.Add(decision.Backup.Path);
                    continue;
                case RemovalConsent.Skip:
                    continue;
            }
            try
            {
                remove(decision.Backup);
            }
            catch (Exception e)
            {
                handler.Failed(decision, e);
                continue;
            }
            gone.Add(decision.Backup.Path);
            handler.Removed(decision);
        }
    }
}
