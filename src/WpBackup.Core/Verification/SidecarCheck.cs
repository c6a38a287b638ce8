using WpBackup.Core.Archives;

namespace WpBackup.Core.Verification;

/// <summary>Compares what the sidecar says about its archive with the archive as read: size, SHA-256 and identity.</summary>
internal static class SidecarCheck
{
    /// <param name="sha256">The archive's SHA-256; null when it was not read whole, and then only its size is compared.</param>
    public static List<string> Problems(BackupManifest sidecar, string archivePath, long size, string? sha256, BackupManifest? manifest)
    {
        var problems = new List<string>();
        if (sidecar.ArchiveSize is not long expectedSize)
            problems.Add("its sidecar records no size for the archive");
        else if (expectedSize != size)
            problems.Add($"the archive is {size:N0} bytes but its sidecar says {expectedSize:N0}");
        if (sha256 is not null && HashProblem(sidecar, sha256) is { } hashProblem)
            problems.Add(hashProblem);
        if (sidecar.Archive is { } name && name != Path.GetFileName(archivePath))
            problems.Add($"its sidecar describes '{name}', not '{Path.GetFileName(archivePath)}'");
        if (manifest is null)
            return problems;

        Compare(problems, "id", sidecar.Id, manifest.Id);
        Compare(problems, "site", sidecar.Site, manifest.Site);
        Compare(problems, "type", sidecar.Type, manifest.Type);
        Compare(problems, "parent", sidecar.Parent ?? "(none)", manifest.Parent ?? "(none)");
        Compare(problems, "creation time", sidecar.Created.ToString("O"), manifest.Created.ToString("O"));
        Compare(problems, "dump SHA-256", sidecar.Database?.DumpSha256 ?? "(no dump)", manifest.Database?.DumpSha256 ?? "(no dump)");
        return problems;
    }

    private static string? HashProblem(BackupManifest sidecar, string sha256) =>
        sidecar.ArchiveSha256 is not { } expected ? "its sidecar records no SHA-256 for the archive"
        : string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase) ? null
        : $"the archive's SHA-256 ({Short(sha256)}) is not the one in its sidecar ({Short(expected)})";

    /// <summary>For a restore, before anything is replaced: refuses an archive that is not the one its sidecar describes.</summary>
    public static void Require(BackupManifest sidecar, string archivePath, long size, string? sha256, BackupManifest manifest)
    {
        var problems = Problems(sidecar, archivePath, size, sha256, manifest);
        if (problems.Count > 0)
            throw new Errors.ArchiveException("ArchiveMismatch",
                $"The archive '{archivePath}' is not the one its sidecar describes, so nothing was restored: {string.Join("; ", problems)}. " +
                "Test-WpBackup reports the same; if this archive is the one you want, restore it by its path with the sidecar moved away.");
    }

    private static void Compare(List<string> problems, string what, string sidecar, string manifest)
    {
        if (!string.Equals(sidecar, manifest, StringComparison.Ordinal))
            problems.Add($"its sidecar gives the {what} as '{sidecar}' but the archive's {ArchiveLayout.ManifestEntry} says '{manifest}'");
    }

    private static string Short(string sha256) => sha256.Length > 16 ? sha256[..16] + "…" : sha256;
}
