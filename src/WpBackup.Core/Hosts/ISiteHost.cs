using WpBackup.Core.Archives;

namespace WpBackup.Core.Hosts;

/// <summary>
/// Where a site lives: this machine or a server reached over SSH. Discovery, backup and
/// restore are written once against this seam; the two implementations differ only in how a
/// command runs and how bytes move. Paths are the host's own, '/'-separated on servers.
/// </summary>
public interface ISiteHost
{
    /// <summary>"localhost" for this machine, the name the user gave for a server.</summary>
    string ComputerName { get; }

    /// <summary>Starts a program (never through a shell's word splitting) with stdin, stdout and stderr piped.</summary>
    HostProcess Start(string program, IReadOnlyList<string> arguments);

    /// <summary>
    /// Writes content into a new file readable by its owner only (0600) and returns a handle
    /// that deletes it when disposed. For secrets handed to client tools, never via argv.
    /// </summary>
    PrivateFile CreatePrivateFile(string content);

    /// <summary>The first of the given program names found on the host's PATH, or null.</summary>
    string? FindProgram(params string[] names);

    /// <summary>WordPress installs at or below each path (wildcards allowed), at most <paramref name="depth"/> folders down.</summary>
    IReadOnlyList<SiteLocation> FindSites(IReadOnlyList<string> paths, int depth, Action<string> onMissingPath);

    /// <summary>A small file's content (at most a few MB), or null when it does not exist.</summary>
    byte[]? ReadFile(string path);

    /// <summary>
    /// Lists a site's tree (metadata only) in a stable order, leaving out what the filter excludes
    /// and FIFOs, sockets and devices, each of which is reported through <paramref name="onSkipped"/>.
    /// </summary>
    List<ScannedEntry> ScanTree(string root, ExcludeFilter exclude, Action<string> onSkipped);

    /// <summary>Streams the listed entries of a tree into the archive under <c>files/</c>; returns what was stored.</summary>
    List<ManifestFile> ArchiveTree(string root, IReadOnlyList<ScannedEntry> entries, ArchiveWriter writer, TreeArchiveOptions options);

    /// <summary>SHA-256 (lower-case hex) of files under a root, by relative path; files that cannot be read are left out.</summary>
    Dictionary<string, string> HashFiles(string root, IReadOnlyList<string> relativePaths);

    bool FolderHasContent(string path);

    /// <summary>
    /// Creates a private (0700) staging folder beside <paramref name="target"/>, on the same
    /// filesystem, first cleaning up after an interrupted restore of the same target: a target
    /// it had moved aside is put back when the target is missing, its other folders removed.
    /// </summary>
    string CreateStagingFolder(string target, Action<RestoreLeftover> onLeftover);

    ISiteTreeWriter OpenTreeWriter(string stagingFolder);

    /// <summary>Puts a fully staged folder in place of the target, as atomically as the filesystem allows.</summary>
    void ReplaceFolder(string stagingFolder, string target);

    void DeleteFolder(string path);
}

/// <summary>A WordPress install as found on a host.</summary>
public sealed record SiteLocation(string Root, string ConfigPath, string? WordPressVersion);

/// <summary>How tree archiving reports progress (entries done, bytes done, current path) and warnings, when it stops, and how bytes travel.</summary>
public sealed record TreeArchiveOptions(Action<long, long, string> Progress, Action<string> Warning, Func<bool> ShouldStop)
{
    public TransferCompression Compression { get; init; } = TransferCompression.Auto;
}

/// <summary>
/// Whether a server compresses the file stream before it crosses the network. The archive is
/// the same either way; this only trades the server's CPU for bandwidth.
/// </summary>
public enum TransferCompression
{
    /// <summary>zstd when the server has it, else none.</summary>
    Auto,
    None,
    Zstd,
    Gzip,
}
