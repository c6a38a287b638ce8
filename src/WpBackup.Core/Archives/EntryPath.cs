using WpBackup.Core.Errors;

namespace WpBackup.Core.Archives;

/// <summary>
/// Containment rules for names read from an archive: a crafted archive must never make a
/// restore write outside its target.
/// </summary>
public static class EntryPath
{
    /// <summary>The '/'-separated path below <c>files/</c>, or null when the entry is not under it.</summary>
    public static string? SiteRelative(string entryName)
    {
        var prefix = ArchiveLayout.FilesFolder + "/";
        if (entryName == ArchiveLayout.FilesFolder || entryName == prefix)
            return "";
        return entryName.StartsWith(prefix, StringComparison.Ordinal) ? entryName[prefix.Length..].TrimEnd('/') : null;
    }

    /// <summary>Throws unless the relative path stays inside the target: not absolute, no '..', '.', empty or NUL parts.</summary>
    public static string[] Validate(string relative, string archive)
    {
        if (relative.Length == 0)
            return [];
        var parts = relative.Split('/');
        if (relative.StartsWith('/') || relative.Contains('\0') || parts.Any(p => p is "" or "." or ".."))
            throw new ArchiveException("UnsafeEntry",
                $"The archive '{archive}' holds an entry that would escape the restore target: '{relative}'. Nothing was written outside the target; the archive is not one WpBackup wrote.");
        return parts;
    }
}
