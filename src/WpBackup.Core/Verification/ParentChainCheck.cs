using WpBackup.Core.Archives;

namespace WpBackup.Core.Verification;

/// <summary>
/// A backup that names a parent (an incremental) is only restorable with every backup up its
/// chain: each parent must exist — sidecar and archive — in the same site folder.
/// </summary>
internal static class ParentChainCheck
{
    public static List<string> Problems(string archivePath, string? ownId, string? parent)
    {
        var problems = new List<string>();
        var folder = Path.GetDirectoryName(archivePath)!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (ownId is not null)
            seen.Add(ownId);
        var child = ownId ?? Path.GetFileName(archivePath);
        while (parent is not null)
        {
            if (!IsPlainId(parent))
            {
                problems.Add($"the parent of '{child}' is given as '{parent}', which is not a backup id");
                break;
            }
            if (!seen.Add(parent))
            {
                problems.Add($"the chain of parents loops back to '{parent}'");
                break;
            }
            var parentArchive = BackupCatalog.ArchiveIn(folder, parent);
            var parentSidecar = BackupCatalog.SidecarPathFor(parentArchive);
            if (!File.Exists(parentSidecar))
            {
                problems.Add($"its parent backup '{parent}' (of '{child}') is missing from '{folder}'");
                break;
            }
            if (!File.Exists(parentArchive))
                problems.Add($"the archive of its parent backup '{parent}' is missing ('{parentArchive}')");
            try
            {
                (child, parent) = (parent, BackupManifest.FromJson(File.ReadAllBytes(parentSidecar)).Parent);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"the sidecar of its parent backup '{parent}' is not readable ({e.Message})");
                break;
            }
        }
        return problems;
    }

    private static bool IsPlainId(string id) =>
        id.Length > 0 && id is not ("." or "..") && id.IndexOfAny(['/', '\\', '\0']) < 0;
}
