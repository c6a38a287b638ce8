using System.Globalization;

namespace WpBackup.Core.Retention;

/// <summary>
/// Works out which backups a <see cref="RetentionPolicy"/> keeps and which it removes, per site,
/// without ever leaving a backup that stays without the parents it needs.
/// </summary>
/// <remarks>
/// <para>Per site folder, the candidates are walked newest first. Each bucket rule (keep-last,
/// -hourly, -daily, -weekly, -monthly, -yearly) keeps the first backup it meets in each bucket
/// until it has kept as many buckets as its count; a bucket without backups is never counted.
/// keep-within keeps what was made within the span before the newest candidate; -OlderThan
/// keeps what is younger than that (measured from now); the site's newest backup is kept unless
/// Force. A backup is kept when any rule keeps it.</para>
/// <para>Then every backup that stays (kept, or not a candidate at all) keeps its Parent, that
/// one's Parent, and so on: a chain is removed only from its newest end, and only as far as
/// nothing that stays needs it.</para>
/// </remarks>
public static class RetentionPlanner
{
    /// <param name="candidates">The backups the request names: only these may be removed, and the rules are applied to them.</param>
    /// <param name="policy">The rules. Its values are validated here; whether an empty policy is acceptable is the caller's call (<see cref="RetentionPolicy.Validate"/>).</param>
    /// <param name="now">Now, for -OlderThan.</param>
    /// <param name="catalog">
    /// Every backup in the destinations the candidates live in. Those that are not candidates stay
    /// and so protect their parents; the newest of each site comes from here. Null: the candidates alone.
    /// </param>
    public static RetentionPlan Plan(IEnumerable<WpBackup> candidates, RetentionPolicy policy, DateTime now, IEnumerable<WpBackup>? catalog = null)
    {
        policy.Validate(backupsChosen: true);
        var chosen = new Dictionary<string, WpBackup>(RetentionPlan.PathComparer);
        foreach (var backup in candidates)
            chosen.TryAdd(backup.Path, backup);
        var all = new Dictionary<string, WpBackup>(chosen, RetentionPlan.PathComparer);
        foreach (var backup in catalog ?? [])
            all.TryAdd(backup.Path, backup);

        var decisions = new List<RetentionDecision>();
        var children = new Dictionary<string, List<WpBackup>>(RetentionPlan.PathComparer);
        var warnings = new List<string>();
        var sites = all.Values
            .GroupBy(FolderOf, RetentionPlan.PathComparer)
            .Where(g => g.Any(b => chosen.ContainsKey(b.Path)))
            .OrderBy(g => g.First().Site, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var site in sites)
            new SitePlan(site.ToList(), chosen, policy, RetentionBuckets.AsUtc(now), decisions, children, warnings).Run();
        return new RetentionPlan(policy, decisions, children, warnings);
    }

    /// <summary>The folder that holds a backup's archive: one site in one destination.</summary>
    internal static string FolderOf(WpBackup backup) => Path.GetDirectoryName(backup.Path) ?? "";

    /// <summary>The plan for one site folder.</summary>
    private sealed class SitePlan(
        List<WpBackup> members, Dictionary<string, WpBackup> chosen, RetentionPolicy policy, DateTime now,
        List<RetentionDecision> decisions, Dictionary<string, List<WpBackup>> children, List<string> warnings)
    {
        private readonly Dictionary<string, List<RetentionReason>> _reasons = new(RetentionPlan.PathComparer);
        private readonly Dictionary<string, WpBackup> _byId = new(StringComparer.Ordinal);
        private List<WpBackup> _newestFirst = [];
        private List<WpBackup> _candidates = [];

        public void Run()
        {
            _newestFirst = members.OrderByDescending(b => RetentionBuckets.AsUtc(b.Created)).ThenByDescending(b => b.Id, StringComparer.Ordinal).ToList();
            _candidates = _newestFirst.Where(IsCandidate).ToList();
            foreach (var backup in _newestFirst)
            {
                _byId.TryAdd(backup.Id, backup);
                _reasons[backup.Path] = [];
            }
            foreach (var backup in _newestFirst)
            {
                if (backup.Parent is { } parentId && parentId != backup.Id && _byId.TryGetValue(parentId, out var parent))
                    ChildrenOf(parent).Add(backup);
            }

            ApplyBuckets();
            ApplyWithin();
            ApplyAgeAndNewest();
            ProtectParents();
            Decide();
        }

        private bool IsCandidate(WpBackup backup) => chosen.ContainsKey(backup.Path);

        private List<WpBackup> ChildrenOf(WpBackup backup)
        {
            if (!children.TryGetValue(backup.Path, out var list))
                children[backup.Path] = list = [];
            return list;
        }

        private void ApplyBuckets()
        {
            foreach (var rule in RetentionRules.Buckets)
            {
                if (policy.Count(rule) is not int count)
                    continue;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var backup in _candidates)
                {
                    if (seen.Count >= count)
                        break;
                    var key = RetentionBuckets.For(rule, backup, policy.TimeZone);
                    if (!seen.Add(key))
                        continue;
                    var text = rule == RetentionRule.KeepLast
                        ? string.Create(CultureInfo.InvariantCulture, $"keep-last ({seen.Count} of {count})")
                        : string.Create(CultureInfo.InvariantCulture, $"{RetentionRules.Name(rule)} {key} ({seen.Count} of {count})");
                    _reasons[backup.Path].Add(new RetentionReason(rule, text) { Bucket = rule == RetentionRule.KeepLast ? null : key });
                }
            }
        }

        private void ApplyWithin()
        {
            if (policy.KeepWithin is not TimeSpan within || _candidates.Count == 0)
                return;
            var newest = RetentionBuckets.AsUtc(_candidates[0].Created);
            foreach (var backup in _candidates)
            {
                if (newest - RetentionBuckets.AsUtc(backup.Created) > within)
                    break;
                _reasons[backup.Path].Add(new RetentionReason(RetentionRule.KeepWithin,
                    $"keep-within {RetentionPolicy.Describe(within)} of the newest ({newest.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)})"));
            }
        }

        private void ApplyAgeAndNewest()
        {
            foreach (var backup in _candidates)
            {
                if (policy.OlderThan is TimeSpan age && now - RetentionBuckets.AsUtc(backup.Created) < age)
                    _reasons[backup.Path].Add(new RetentionReason(RetentionRule.NotOlderThan, $"younger than -OlderThan {RetentionPolicy.Describe(age)}"));
            }
            if (!policy.Force && _newestFirst.Count > 0 && IsCandidate(_newestFirst[0]))
                _reasons[_newestFirst[0].Path].Add(new RetentionReason(RetentionRule.Newest, "newest backup of its site (kept unless -Force)"));
        }

        /// <summary>Every backup that stays keeps its whole Parent chain.</summary>
        private void ProtectParents()
        {
            var stays = _newestFirst.Where(b => !IsCandidate(b) || _reasons[b.Path].Count > 0).ToList();
            var ownReasons = stays.ToDictionary(b => b.Path, b => OwnRules(b), RetentionPlan.PathComparer);
            var warned = new HashSet<string>(RetentionPlan.PathComparer);
            foreach (var kept in stays)
            {
                var phrase = KeptPhrase(ownReasons[kept.Path]);
                var visited = new HashSet<string>(RetentionPlan.PathComparer) { kept.Path };
                var child = kept;
                while (child.Parent is { } parentId)
                {
                    if (!_byId.TryGetValue(parentId, out var parent))
                    {
                        if (warned.Add(child.Path))
                            warnings.Add($"{child}: its parent {parentId} is not in {FolderOf(child)}; it cannot be restored without it.");
                        break;
                    }
                    if (!visited.Add(parent.Path))
                    {
                        if (warned.Add(child.Path))
                            warnings.Add($"{child}: its Parent chain loops back to {parent.Id}.");
                        break;
                    }
                    var reasons = _reasons[parent.Path];
                    if (reasons.Any(r => r.Rule == RetentionRule.ParentOfKept && ReferenceEquals(r.Child, child)))
                        break; // this chain above was already walked from a newer backup that stays
                    var text = ReferenceEquals(child, kept)
                        ? $"parent of {child.Id} ({phrase})"
                        : $"parent of {child.Id}, which {kept.Id} needs ({phrase})";
                    reasons.Add(new RetentionReason(RetentionRule.ParentOfKept, text) { Child = child, KeptDescendant = kept });
                    child = parent;
                }
            }
        }

        private List<RetentionRule> OwnRules(WpBackup backup) =>
            IsCandidate(backup) ? _reasons[backup.Path].Select(r => r.Rule).Distinct().ToList() : [RetentionRule.NotSelected];

        /// <summary>"kept by keep-daily, keep-monthly", "kept: newest of its site", "kept by keep-last; younger than -OlderThan".</summary>
        private static string KeptPhrase(List<RetentionRule> rules)
        {
            var keep = rules.Where(RetentionRules.IsKeepRule).Select(RetentionRules.Name).ToList();
            var other = rules.Where(r => !RetentionRules.IsKeepRule(r) && r != RetentionRule.ParentOfKept).Select(RetentionRules.Name).ToList();
            var text = keep.Count > 0 ? "kept by " + string.Join(", ", keep) : "kept";
            if (other.Count > 0)
                text += (keep.Count > 0 ? "; " : ": ") + string.Join("; ", other);
            return text;
        }

        /// <summary>Decisions for the candidates, each after every candidate that names it as Parent.</summary>
        private void Decide()
        {
            var removal = new RetentionReason(RetentionRule.Unmatched, RemovalText(policy));
            var done = new HashSet<string>(RetentionPlan.PathComparer);
            void Emit(WpBackup backup)
            {
                if (!done.Add(backup.Path))
                    return;
                if (children.TryGetValue(backup.Path, out var kids))
                {
                    foreach (var kid in kids.Where(IsCandidate))
                        Emit(kid);
                }
                var reasons = _reasons[backup.Path];
                decisions.Add(reasons.Count > 0
                    ? new RetentionDecision(chosen[backup.Path], RetentionAction.Keep, reasons)
                    : new RetentionDecision(chosen[backup.Path], RetentionAction.Remove, [removal]));
            }
            foreach (var backup in _candidates)
                Emit(backup);
        }

        private static string RemovalText(RetentionPolicy policy)
        {
            var rules = new List<string>();
            foreach (var rule in RetentionRules.Buckets)
            {
                if (policy.Count(rule) is int n)
                    rules.Add(string.Create(CultureInfo.InvariantCulture, $"{RetentionRules.Name(rule)} {n}"));
            }
            if (policy.KeepWithin is TimeSpan within)
                rules.Add($"keep-within {RetentionPolicy.Describe(within)}");
            var unkept = rules.Count > 0 ? "kept by none of " + string.Join(", ", rules) : null;
            return (policy.OlderThan, unkept) switch
            {
                (TimeSpan age, not null) => $"older than {RetentionPolicy.Describe(age)} and {unkept}",
                (TimeSpan age, null) => $"older than {RetentionPolicy.Describe(age)}",
                (null, not null) => unkept,
                _ => policy.Force ? "no keep rule (-Force)" : "chosen for removal, no keep rule",
            };
        }
    }
}
