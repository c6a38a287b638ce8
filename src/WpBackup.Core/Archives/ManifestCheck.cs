namespace WpBackup.Core.Archives;

/// <summary>Compares what an archive actually held with what its manifest promises.</summary>
internal static class ManifestCheck
{
    private const int MaxListed = 20;

    /// <param name="includeCarried">Whether files an incremental carries from earlier archives were read too.</param>
    public static List<string> Problems(BackupManifest manifest, StagedExtraction staged, bool checkFiles, bool checkDump, bool includeCarried)
    {
        var problems = new List<string>();
        if (checkFiles && manifest.Files is { } allFiles)
        {
            var files = includeCarried ? allFiles : allFiles.Where(f => f.Source is null).ToList();
            var expected = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
            foreach (var file in files)
            {
                if (!staged.Entries.TryGetValue(file.Path, out var actual))
                    problems.Add($"'{file.Path}' is in the manifest but not in the archive");
                else if (actual.Type != file.Type)
                    problems.Add($"'{file.Path}' is a {actual.Type} in the archive but a {file.Type} in the manifest");
                else if (file.Type == ManifestEntryType.File && actual.Sha256 != file.Sha256)
                    problems.Add($"'{file.Path}' does not match its SHA-256 in the manifest");
                else if (file.Type == ManifestEntryType.Symlink && actual.LinkTarget != file.LinkTarget)
                    problems.Add($"the link '{file.Path}' points elsewhere than the manifest says");
            }
            problems.AddRange(staged.Entries.Keys.Where(path => !expected.ContainsKey(path))
                .Select(path => $"'{path}' is in the archive but not in the manifest"));
            if (staged.ParentConfigSha256 != manifest.ParentConfigSha256)
                problems.Add($"{ArchiveLayout.ParentConfigEntry} does not match the manifest");
        }
        if (checkDump && manifest.Database is { } database)
        {
            if (!staged.HasDump)
                problems.Add($"the manifest lists a database dump but the archive has no {ArchiveLayout.DatabaseEntry}");
            else if (staged.DumpSha256 != database.DumpSha256 || staged.DumpSize != database.DumpSize)
                problems.Add($"{ArchiveLayout.DatabaseEntry} does not match its size and SHA-256 in the manifest");
        }
        return problems.Count > MaxListed ? [.. problems.Take(MaxListed), $"… and {problems.Count - MaxListed} more"] : problems;
    }
}
