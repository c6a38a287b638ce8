namespace WpBackup.Core.Archives;

/// <summary>
/// Where a restore puts the site's entries once the extractor has checked them: a local
/// staging folder, a server's <c>tar -x</c>, or nowhere (verification). Paths are relative,
/// '/'-separated and already proven safe; "" is the site's root folder itself.
/// </summary>
public interface ISiteTreeWriter
{
    void Directory(string relative, UnixFileMode mode, DateTimeOffset modified);
    void Symlink(string relative, string target);

    /// <summary>Writes a file's bytes from <paramref name="data"/>, which the caller hashes as it is read.</summary>
    void File(string relative, Stream data, long size, UnixFileMode mode, DateTimeOffset modified);

    /// <summary>A second name for a file written earlier in the same restore.</summary>
    void HardLink(string relative, string existingRelative);

    /// <summary>Called once after the last entry: folder modes and times go last.</summary>
    void Complete();
}
