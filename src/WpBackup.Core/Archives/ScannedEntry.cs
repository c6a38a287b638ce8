namespace WpBackup.Core.Archives;

/// <summary>One entry found in a site's tree before it is archived.</summary>
/// <param name="RelativePath">'/'-separated path under the root; "" for the root itself.</param>
public sealed record ScannedEntry(
    string RelativePath,
    string FullPath,
    ManifestEntryType Type,
    long Size,
    UnixFileMode Mode,
    DateTimeOffset Modified,
    string? LinkTarget);
