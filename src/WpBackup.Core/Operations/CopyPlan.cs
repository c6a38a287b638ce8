using WpBackup.Core.Errors;

namespace WpBackup.Core.Operations;

/// <summary>
/// What Copy-WpBackup copies: the backups asked for and every earlier backup their incrementals
/// need, found where each backup was listed (its site folder, or its bucket under the same site),
/// oldest first, once each. A backup whose chain is not all there is left out and comes back as a
/// failure that names it and the missing backup; the others are still copied.
/// </summary>
public sealed class CopyPlan
{
    private CopyPlan(IReadOnlyList<WpBackup> backups, IReadOnlyList<WpBackupException> failures)
    {
        Backups = backups;
        Failures = failures;
    }

    /// <summary>The backups to copy, oldest first, so an incremental's parents are copied before it.</summary>
    public IReadOnlyList<WpBackup> Backups { get; }

    /// <summary>One per backup left out; <see cref="WpBackupException.Target"/> is that backup.</summary>
    public IReadOnlyList<WpBackupException> Failures { get; }

    public static CopyPlan For(IEnumerable<WpBackup> backups)
    {
        var all = new Dictionary<string, WpBackup>(StringComparer.Ordinal);
        var failures = new List<WpBackupException>();
        var siblings = new Dictionary<string, Dictionary<string, WpBackup>>(StringComparer.Ordinal);
        foreach (var backup in backups)
        {
            try
            {
                var chain = backup.Requires.Count == 0 ? [] : Parents(backup, Siblings(backup, siblings));
                all.TryAdd(backup.Path, backup);
                foreach (var parent in chain)
                    all.TryAdd(parent.Path, parent);
            }
            catch (BackupNotFoundException e) when (ReferenceEquals(e.Target, backup))
            {
                failures.Add(e);
            }
            catch (Exception e) when (e is WpBackupException or IOException or UnauthorizedAccessException)
            {
                var kind = e is WpBackupException known ? known.Kind : FailureKind.Destination;
                failures.Add(new WpBackupException(kind, "ParentUnreadable",
                    $"Backup {backup} is not copied: the backups beside it in {SiteFolder(backup)} cannot be listed, so the ones it needs are unknown: {e.Message}", e) { Target = backup });
            }
        }
        return new CopyPlan([.. all.Values.OrderBy(b => b.Created).ThenBy(b => b.Id, StringComparer.Ordinal)], failures);
    }

    private static List<WpBackup> Parents(WpBackup backup, Dictionary<string, WpBackup> siblings)
    {
        var parents = new List<WpBackup>();
        foreach (var id in backup.Requires)
        {
            if (!siblings.TryGetValue(id, out var parent))
                throw new BackupNotFoundException("ParentMissing",
                    $"Backup {backup} is not copied: it needs backup {backup.Site}/{id}, which is not in {SiteFolder(backup)}. Copy or restore that one there first.")
                { Target = backup };
            parents.Add(parent);
        }
        return parents;
    }

    /// <summary>The backups of the same site where <paramref name="backup"/> was listed, by id; listed once per place.</summary>
    private static Dictionary<string, WpBackup> Siblings(WpBackup backup, Dictionary<string, Dictionary<string, WpBackup>> listed)
    {
        var where = SiteFolder(backup);
        if (listed.TryGetValue(where, out var known))
            return known;
        var backups = backup.Store is { } store
            ? store.List(backup.Site)
            : new BackupCatalog(Path.GetDirectoryName(Path.GetDirectoryName(backup.Path))!).List(Path.GetFileName(Path.GetDirectoryName(backup.Path)));
        return listed[where] = backups.Where(b => b.Site == backup.Site).ToDictionary(b => b.Id, StringComparer.Ordinal);
    }

    private static string SiteFolder(WpBackup backup) =>
        backup.Store is { } store ? $"{store.Name}/{backup.Site}" : $"'{Path.GetDirectoryName(backup.Path)}'";
}
