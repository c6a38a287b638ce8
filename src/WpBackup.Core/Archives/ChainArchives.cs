namespace WpBackup.Core.Archives;

/// <summary>
/// Where the archives of earlier backups in an incremental's chain are: beside its own archive in
/// its site folder, or in the same store (an S3 bucket) under the same site.
/// </summary>
internal sealed class ChainArchives
{
    private readonly Func<string, string?> _find;
    private readonly Func<string, string> _expected;
    private readonly Func<string, Stream> _open;

    private ChainArchives(Func<string, string?> find, Func<string, string> expected, Func<string, Stream> open)
    {
        _find = find;
        _expected = expected;
        _open = open;
    }

    /// <summary>The chain of a listed backup: in its store when it has one, else beside its archive file.</summary>
    public static ChainArchives Of(WpBackup backup) => backup.Store is { } store
        ? new(id => store.FindArchive(backup.Site, id), id => $"{store.Name}/{backup.Site}/{id}{ArchiveLayout.ArchiveExtension}", path => store.OpenArchive(path))
        : Beside(backup.Path);

    /// <summary>The archives in the folder of <paramref name="archivePath"/>.</summary>
    public static ChainArchives Beside(string archivePath)
    {
        var folder = Path.GetDirectoryName(archivePath)!;
        return new(id => BackupCatalog.ArchiveIn(folder, id) is var path && File.Exists(path) ? path : null,
            id => BackupCatalog.ArchiveIn(folder, id), path => ArchiveReader.OpenFile(path));
    }

    /// <summary>The path or URL of backup <paramref name="id"/>'s archive, or null when it is not there.</summary>
    public string? Find(string id) => _find(id);

    /// <summary>Where the archive of backup <paramref name="id"/> was looked for, to name it when missing.</summary>
    public string Expected(string id) => _expected(id);

    /// <summary>The stored bytes of an archive <see cref="Find"/> returned.</summary>
    public Stream Open(string path) => _open(path);
}
