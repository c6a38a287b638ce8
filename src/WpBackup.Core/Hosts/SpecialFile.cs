namespace WpBackup.Core.Hosts;

/// <summary>
/// FIFOs, sockets and device files in a site's tree: never backed up (opening a FIFO would
/// wait for a writer forever), each reported as a warning naming it.
/// </summary>
internal static class SpecialFile
{
    /// <summary>What find's <c>%y</c> letter names, or null for a file, folder or link.</summary>
    public static string? KindFromFindType(string letter) => letter switch
    {
        "f" or "d" or "l" => null,
        "p" => "FIFO",
        "s" => "socket",
        "c" => "character device",
        "b" => "block device",
        _ => "special file",
    };

    public static string SkippedWarning(string path, string kind) =>
        $"Skipped '{path}': it is a {kind}, not a file, and is never backed up. Remove it from the site or exclude it with -Exclude to silence this warning.";
}
