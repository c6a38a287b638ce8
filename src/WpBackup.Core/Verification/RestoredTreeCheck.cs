using WpBackup.Core.Archives;

namespace WpBackup.Core.Verification;

/// <summary>After a test restore: every entry of the manifest is on disk with its type, size and link target.</summary>
internal static class RestoredTreeCheck
{
    private const int MaxListed = 20;

    public static List<string> Problems(IEnumerable<ManifestFile> files, string root)
    {
        var problems = new List<string>();
        foreach (var file in files)
        {
            var path = file.Path.Length == 0 ? root : Path.Combine(root, file.Path);
            var info = new FileInfo(path);
            var problem = file.Type switch
            {
                ManifestEntryType.Directory when !Directory.Exists(path) || info.LinkTarget is not null => "is not a folder",
                ManifestEntryType.File when !info.Exists || info.LinkTarget is not null => "is not a file",
                ManifestEntryType.File when info.Length != file.Size => $"has {info.Length:N0} bytes instead of {file.Size:N0}",
                ManifestEntryType.Symlink when info.LinkTarget != file.LinkTarget => "is not the link the manifest lists",
                _ => null,
            };
            if (problem is not null)
                problems.Add($"restored, '{file.Path}' {problem}");
        }
        return problems.Count > MaxListed ? [.. problems.Take(MaxListed), $"… and {problems.Count - MaxListed} more"] : problems;
    }
}
