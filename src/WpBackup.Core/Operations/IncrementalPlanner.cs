using WpBackup.Core.Archives;

namespace WpBackup.Core.Operations;

/// <summary>What an incremental backup stores and what it takes from earlier archives.</summary>
/// <param name="ToArchive">Folders, links and new or changed files: written into this backup's archive.</param>
/// <param name="Carried">Unchanged files: listed in the manifest, their bytes in the archive named by Source.</param>
/// <param name="Deleted">Paths the parent had that are gone.</param>
public sealed record ChangeSet(List<ScannedEntry> ToArchive, List<ManifestFile> Carried, List<string> Deleted);

/// <summary>
/// Decides an incremental backup: which earlier backup it builds on (or why it must be full),
/// and which files changed. Files are compared by size and modification time, and by SHA-256
/// as well when asked.
/// </summary>
public static class IncrementalPlanner
{
    /// <summary>The newest backup of the site that knows its whole tree, or null with the reason a full backup is needed instead.</summary>
    /// <param name="archiveExists">Whether a backup's archive is there (a file, or an object in a bucket); asked newest first, only as far as needed.</param>
    public static (WpBackup? Parent, string? FullBecause) ChooseParent(IReadOnlyList<WpBackup> siteBackups, Func<WpBackup, bool> archiveExists, int? fullEvery, DateTime now)
    {
        var parent = siteBackups.Where(b => b.Type.CanBeParent()).OrderByDescending(b => b.Created).ThenByDescending(b => b.Id, StringComparer.Ordinal)
            .FirstOrDefault(archiveExists);
        if (parent is null)
            return (null, "there is no earlier full or incremental backup of this site to build on");
        if (fullEvery is not int every)
            return (parent, null);
        var byId = siteBackups.ToDictionary(b => b.Id, StringComparer.Ordinal);
        var length = 1;
        var base_ = parent;
        while (base_.Parent is { } up && byId.TryGetValue(up, out var next) && length <= siteBackups.Count)
        {
            base_ = next;
            length++;
        }
        if (length >= every)
            return (null, $"the chain since the last full backup would be longer than -FullEvery {every}");
        if (now - base_.Created > TimeSpan.FromDays(every))
            return (null, $"the last full backup ({base_.Id}) is older than -FullEvery {every} days");
        return (parent, null);
    }

    /// <param name="sameContent">When comparing by content: whether the file now has this SHA-256; null compares size and time only.</param>
    public static ChangeSet Compare(IReadOnlyList<ScannedEntry> current, BackupManifest parent, Func<ScannedEntry, string, bool>? sameContent)
    {
        var before = (parent.Files ?? []).Where(f => f.Type == ManifestEntryType.File).ToDictionary(f => f.Path, StringComparer.Ordinal);
        var toArchive = new List<ScannedEntry>();
        var carried = new List<ManifestFile>();
        foreach (var entry in current)
        {
            if (entry.Type == ManifestEntryType.File && before.TryGetValue(entry.RelativePath, out var old) && old.Sha256 is { } sha &&
                old.Size == entry.Size && (sameContent is null ? old.Modified == entry.Modified : sameContent(entry, sha)))
            {
                carried.Add(new ManifestFile
                {
                    Path = entry.RelativePath,
                    Type = ManifestEntryType.File,
                    Size = entry.Size,
                    Mode = ManifestFile.ModeText(entry.Mode),
                    Modified = entry.Modified,
                    Sha256 = sha,
                    Source = old.Source ?? parent.Id,
                });
            }
            else
                toArchive.Add(entry);
        }
        var now = current.Select(e => e.RelativePath).ToHashSet(StringComparer.Ordinal);
        var deleted = (parent.Files ?? []).Select(f => f.Path).Where(p => !now.Contains(p)).ToList();
        return new ChangeSet(toArchive, carried, deleted);
    }
}
