namespace WpBackup.Core.Operations;

/// <summary>One backup and whether a removal request removes it, with the reason.</summary>
public sealed record RemovalDecision(WpBackup Backup, bool Remove, string Reason);

/// <summary>
/// Decides which backups a removal request removes. The newest backup of each site is kept
/// unless forced, so pruning can never leave a site without a backup by accident.
/// </summary>
public static class RemovalPlanner
{
    /// <param name="candidates">Backups the request names.</param>
    /// <param name="newestPerSite">Id of each site's newest backup in its destination.</param>
    public static List<RemovalDecision> Plan(
        IEnumerable<WpBackup> candidates, IReadOnlyDictionary<string, string> newestPerSite,
        DateTime now, TimeSpan? olderThan, int? keepLast, bool force)
    {
        var decisions = new List<RemovalDecision>();
        foreach (var site in candidates.GroupBy(b => b.Site, StringComparer.OrdinalIgnoreCase))
        {
            var rank = 0;
            foreach (var backup in site.OrderByDescending(b => b.Created).ThenByDescending(b => b.Id, StringComparer.Ordinal))
            {
                rank++;
                decisions.Add(Decide(backup, rank, newestPerSite, now, olderThan, keepLast, force));
            }
        }
        return decisions;
    }

    private static RemovalDecision Decide(WpBackup backup, int rank, IReadOnlyDictionary<string, string> newestPerSite,
        DateTime now, TimeSpan? olderThan, int? keepLast, bool force)
    {
        if (keepLast is int keep && rank <= keep)
            return new(backup, false, $"kept: among the newest {keep} (-KeepLast)");
        if (olderThan is TimeSpan age && now - backup.Created < age)
            return new(backup, false, $"kept: younger than {age} (-OlderThan)");
        if (!force && newestPerSite.TryGetValue(backup.Site, out var newest) && newest == backup.Id)
            return new(backup, false, "kept: the newest backup of its site (use -Force to remove it)");
        var why = (olderThan, keepLast) switch
        {
            (not null, not null) => "older than -OlderThan and beyond -KeepLast",
            (not null, null) => "older than -OlderThan",
            (null, not null) => "beyond -KeepLast",
            _ => "requested",
        };
        return new(backup, true, "removed: " + why);
    }
}
