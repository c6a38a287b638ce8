using WpBackup.Core.Errors;

namespace WpBackup.Core.Archives;

/// <summary>
/// The files an incremental backup carries from earlier backups: which archives hold them
/// (beside the incremental's own: in the same site folder, or the same bucket) and reading them from there.
/// </summary>
internal static class CarriedFiles
{
    /// <summary>The archive of each required backup, in order; throws naming the first that is missing.</summary>
    public static List<string> Archives(ChainArchives chain, string backupLabel, IEnumerable<string> requires)
    {
        var paths = new List<string>();
        foreach (var id in requires)
        {
            if (id.Contains('/') || id.Contains('\\') || id is "." or "..")
                throw new ArchiveException("ArchiveMismatch", $"Backup {backupLabel} names '{id}' as an earlier backup it needs; that is not a backup id.");
            var path = chain.Find(id) ?? throw new BackupNotFoundException("ParentMissing",
                $"Backup {backupLabel} is incremental and needs the archive of backup {id}, which is missing ({chain.Expected(id)}). Nothing was changed. Copy that archive back, or restore an older full backup.");
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Opens the header of each encrypted archive among <paramref name="paths"/>: a missing or wrong key fails here, before anything is touched.</summary>
    public static void CheckKeys(ChainArchives chain, string backupLabel, IEnumerable<string> paths, Crypto.BackupDecryption keys)
    {
        foreach (var path in paths.Where(ArchiveLayout.IsEncryptedName))
        {
            try
            {
                ArchiveSource.Open(path, keys, chain.Open(path)).Dispose();
            }
            catch (Crypto.AgeDecryptionException e) when (e.Reason is Crypto.AgeFailure.NoMatchingIdentity or Crypto.AgeFailure.WrongPassphrase)
            {
                throw new Crypto.AgeDecryptionException(e.Reason,
                    $"Backup {backupLabel} is incremental and needs files from the encrypted archive '{path}', which the keys given do not open: {e.Message} " +
                    "Nothing was changed. Pass its -IdentityFile or -Passphrase as well.", e);
            }
        }
    }

    /// <summary>Reads every carried file from the archive that holds it, into the same staged state and tree.</summary>
    public static void Extract(ChainArchives chain, BackupManifest manifest, StagedExtraction staged, ISiteTreeWriter? tree,
        Action<string> verbose, Action<StagedExtraction, ArchiveReader> progress, Crypto.BackupDecryption? keys = null)
    {
        var bySource = (manifest.Files ?? []).Where(f => f.Source is not null).GroupBy(f => f.Source!, StringComparer.Ordinal);
        foreach (var group in bySource)
        {
            var path = Archives(chain, $"{manifest.Site}/{manifest.Id}", [group.Key])[0];
            verbose($"{manifest.Site}: reading {group.Count()} unchanged files from {path}");
            using var reader = new ArchiveReader(path, ArchiveSource.Open(path, keys, chain.Open(path)));
            new ArchiveExtractor(reader, s => progress(s, reader))
                .ExtractCarried(staged, tree, group.ToDictionary(f => f.Path, StringComparer.Ordinal));
        }
    }
}
