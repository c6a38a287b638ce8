using System.Security.Cryptography;

namespace WpBackup.Tests.Support;

/// <summary>Every entry of a folder tree with type, mode, mtime and content hash, for byte-exact comparisons.</summary>
public static class TreeSnapshot
{
    public static SortedDictionary<string, string> Take(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(new DirectoryInfo(root), "", result);
        return result;
    }

    private static void Walk(DirectoryInfo dir, string relative, SortedDictionary<string, string> result)
    {
        foreach (var entry in dir.EnumerateFileSystemInfos())
        {
            var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            var mode = Convert.ToString((int)entry.UnixFileMode, 8);
            if (entry.LinkTarget is { } target)
                result[path] = $"link {target}";
            else if (entry is DirectoryInfo child)
            {
                result[path] = $"dir {mode} {child.LastWriteTimeUtc:O}";
                Walk(child, path, result);
            }
            else
                result[path] = $"file {mode} {entry.LastWriteTimeUtc:O} {((FileInfo)entry).Length} {Hash(entry.FullName)}";
        }
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
