using WpBackup.Core.Archives;
using WpBackup.Core.Text;

namespace WpBackup.Core.Storage;

/// <summary>
/// Where backups are kept, as the runners see it: list sidecars, read a sidecar or an archive,
/// create an archive (commit or abort), write a sidecar (last), remove a backup (sidecar first).
/// A backup exists once its sidecar exists, in every store.
/// </summary>
public interface IBackupStore : IDisposable
{
    /// <summary>The store as users name it: a folder, or s3://bucket/prefix.</summary>
    string Name { get; }

    /// <summary>Backups whose site matches the wildcard, newest first; unreadable sidecars are reported, not fatal.</summary>
    List<WpBackup> List(string? siteWildcard = null, Action<string>? onProblem = null);

    /// <summary>A new id for a site's backup: the UTC time, unique within the site.</summary>
    string NewId(string site, DateTimeOffset created);

    /// <summary>The archive's bytes as stored (age-encrypted or not), for reading once from the start.</summary>
    Stream OpenArchive(WpBackup backup, CancellationToken cancel = default);

    /// <summary>The archive's bytes as stored, seekable, for reading only a part (a manifest frame): ranged reads in a bucket.</summary>
    Stream OpenSeekableArchive(WpBackup backup, CancellationToken cancel = default);

    /// <summary>Where the archive of backup <paramref name="id"/> of the site is (ID.tar.zst, else ID.tar.zst.age), or null when neither is there.</summary>
    string? FindArchive(string site, string id);

    /// <summary>The bytes as stored of an archive <see cref="FindArchive"/> named, for reading once from the start.</summary>
    Stream OpenArchive(string path, CancellationToken cancel = default);

    /// <summary>Whether the backup's archive is still there.</summary>
    bool ArchiveExists(WpBackup backup);

    /// <summary>Whether a sidecar of the backup is still there.</summary>
    bool SidecarExists(WpBackup backup);

    /// <summary>A new archive being written; it becomes visible only on <see cref="IArchiveUpload.Commit"/>, disposing it otherwise discards it.</summary>
    IArchiveUpload CreateArchive(string site, string id, bool encrypted, CancellationToken cancel = default);

    /// <summary>Writes a sidecar atomically; from then on the backup is listed.</summary>
    void WriteSidecar(string site, string id, byte[] content, CancellationToken cancel = default);

    /// <summary>Deletes a backup: the sidecar first (from then on it is not listed), then the archive.</summary>
    void Remove(WpBackup backup, CancellationToken cancel = default);
}

/// <summary>An archive being written into a store.</summary>
public interface IArchiveUpload : IDisposable
{
    /// <summary>Write-only stream for the archive's bytes.</summary>
    Stream Stream { get; }

    /// <summary>Where the archive will be (a path or s3:// URL).</summary>
    string Path { get; }

    /// <summary>Makes the archive whole and visible.</summary>
    void Commit();
}

/// <summary>Opens the store a destination names.</summary>
public static class BackupStores
{
    public static IBackupStore Open(string destination, S3Settings? s3 = null) => StorageLocation.Parse(destination, s3) switch
    {
        S3Location location => new S3Backups(location),
        LocalStorageLocation local => new LocalBackups(local.Root),
        var other => throw new NotSupportedException(other.ToString()),
    };
}

/// <summary>A destination folder, through <see cref="BackupCatalog"/>. BackupRunner writes its backups here itself (work folder, rename); copies come in through <see cref="CreateArchive"/>.</summary>
public sealed class LocalBackups(string root) : IBackupStore
{
    public BackupCatalog Catalog { get; } = new(root);

    public string Name => Catalog.Root;

    public List<WpBackup> List(string? siteWildcard = null, Action<string>? onProblem = null) => Catalog.List(siteWildcard, onProblem);

    public string NewId(string site, DateTimeOffset created) => Catalog.NewId(site, created);

    public Stream OpenArchive(WpBackup backup, CancellationToken cancel = default) => ArchiveReader.OpenFile(backup.Path);

    public Stream OpenSeekableArchive(WpBackup backup, CancellationToken cancel = default) => ArchiveReader.OpenFile(backup.Path);

    public string? FindArchive(string site, string id) =>
        BackupCatalog.ArchiveIn(Catalog.SiteFolder(site), id) is var path && File.Exists(path) ? path : null;

    public Stream OpenArchive(string path, CancellationToken cancel = default) => ArchiveReader.OpenFile(path);

    public bool ArchiveExists(WpBackup backup) => File.Exists(backup.Path);

    public bool SidecarExists(WpBackup backup) => File.Exists(backup.SidecarPath);

    /// <summary>A private temporary file in the site's folder, renamed to the archive's name on commit (copies; BackupRunner writes its own).</summary>
    public IArchiveUpload CreateArchive(string site, string id, bool encrypted, CancellationToken cancel = default)
    {
        var path = encrypted ? Catalog.EncryptedArchivePath(site, id) : Catalog.ArchivePath(site, id);
        var folder = Catalog.SiteFolder(site);
        try
        {
            Operations.PrivatePaths.CreateFolder(Catalog.Root);
            Operations.PrivatePaths.CreateFolder(folder);
            var temporary = System.IO.Path.Combine(folder, $"{BackupCatalog.WorkFolderPrefix}copy-{Guid.NewGuid():N}.partial");
            return new LocalUpload(Operations.PrivatePaths.CreateFile(temporary), temporary, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Errors.DestinationException("DestinationNotWritable", $"Cannot write into '{folder}': {e.Message} Choose a destination you can write to.", e);
        }
    }

    /// <summary>Writes the sidecar to a temporary file and renames it into place; an existing sidecar of that id is never replaced.</summary>
    public void WriteSidecar(string site, string id, byte[] content, CancellationToken cancel = default)
    {
        var path = System.IO.Path.Combine(Catalog.SiteFolder(site), id + ArchiveLayout.SidecarExtension);
        var temporary = System.IO.Path.Combine(Catalog.SiteFolder(site), $"{BackupCatalog.WorkFolderPrefix}copy-{Guid.NewGuid():N}.partial");
        try
        {
            Operations.DurableFiles.Write(path, temporary, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
            throw new Errors.DestinationException("DestinationNotWritable", $"Cannot write the sidecar '{path}': {e.Message}", e);
        }
    }

    public void Remove(WpBackup backup, CancellationToken cancel = default) => BackupCatalog.Remove(backup);

    public void Dispose()
    {
    }

    private sealed class LocalUpload(FileStream file, string temporary, string path) : IArchiveUpload
    {
        private bool _committed;

        public Stream Stream => file;
        public string Path => path;

        public void Commit()
        {
            file.Flush(flushToDisk: true);
            file.Dispose();
            Operations.DurableFiles.Rename(temporary, path);
            _committed = true;
        }

        public void Dispose()
        {
            file.Dispose();
            if (!_committed)
                File.Delete(temporary);
        }
    }
}

/// <summary>
/// Backups in an S3 bucket under a prefix: <c>PREFIX/SITE/ID.tar.zst[.age]</c> and <c>PREFIX/SITE/ID.json</c>.
/// Archives stream into a multipart upload (aborted unless committed); the sidecar is one PutObject, written last.
/// </summary>
public sealed class S3Backups(S3Location location) : IBackupStore
{
    private readonly S3BackupStore _store = new(location);

    public S3Location Location => location;

    public string Name => Url("").TrimEnd('/');

    private string Url(string key) => location.UrlOf(key);

    public static string ArchiveKey(string site, string id, bool encrypted) =>
        $"{site}/{id}{(encrypted ? ArchiveLayout.EncryptedArchiveExtension : ArchiveLayout.ArchiveExtension)}";

    /// <summary>The key (relative to the prefix) of an archive or sidecar URL of this store.</summary>
    private string KeyOf(string url)
    {
        var top = Url("");
        if (!url.StartsWith(top, StringComparison.Ordinal))
            throw new ArgumentException($"'{url}' is not in {Name}.");
        return url[top.Length..];
    }

    public List<WpBackup> List(string? siteWildcard = null, Action<string>? onProblem = null)
    {
        var match = siteWildcard is null ? null : Glob.ToRegex(siteWildcard, pathAware: false, ignoreCase: true);
        var backups = new List<WpBackup>();
        foreach (var item in _store.List())
        {
            var parts = item.Key.Split('/');
            if (parts.Length != 2 || !parts[1].EndsWith(ArchiveLayout.SidecarExtension, StringComparison.Ordinal) || parts[0].StartsWith('.'))
                continue;
            if (match is not null && !match.IsMatch(parts[0]))
                continue;
            if (ReadSidecar(item.Key, onProblem) is { } backup)
                backups.Add(backup);
        }
        return backups.OrderByDescending(b => b.Created).ThenByDescending(b => b.Id, StringComparer.Ordinal).ToList();
    }

    private WpBackup? ReadSidecar(string key, Action<string>? onProblem)
    {
        try
        {
            using var stream = _store.OpenRead(key);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var manifest = BackupManifest.FromJson(buffer.ToArray());
            var site = key[..key.IndexOf('/')];
            return WpBackup.FromManifest(manifest, Url(ArchiveKey(site, manifest.Id, manifest.Encrypted == true)), this);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or Errors.BackupNotFoundException)
        {
            onProblem?.Invoke($"Skipped '{Url(key)}': not a readable WpBackup sidecar ({e.Message}).");
            return null;
        }
    }

    public string NewId(string site, DateTimeOffset created)
    {
        var taken = _store.List(BackupKeys.SitePrefix(site)).Select(o => ArchiveLayout.IdOf(o.Key[(site.Length + 1)..]).Replace(ArchiveLayout.SidecarExtension, ""))
            .ToHashSet(StringComparer.Ordinal);
        var baseId = created.UtcDateTime.ToString(BackupCatalog.IdFormat, System.Globalization.CultureInfo.InvariantCulture);
        var id = baseId;
        for (var n = 2; taken.Contains(id); n++)
            id = $"{baseId}-{n}";
        return id;
    }

    public Stream OpenArchive(WpBackup backup, CancellationToken cancel = default) => _store.OpenRead(KeyOf(backup.Path), cancel);

    public Stream OpenSeekableArchive(WpBackup backup, CancellationToken cancel = default) =>
        new S3SeekableReadStream(_store, KeyOf(backup.Path), backup.Size, cancel);

    public string? FindArchive(string site, string id)
    {
        foreach (var encrypted in new[] { false, true })
        {
            var key = ArchiveKey(site, id, encrypted);
            if (_store.Exists(key))
                return Url(key);
        }
        return null;
    }

    public Stream OpenArchive(string path, CancellationToken cancel = default) => _store.OpenRead(KeyOf(path), cancel);

    public bool ArchiveExists(WpBackup backup) => _store.Exists(KeyOf(backup.Path));

    public bool SidecarExists(WpBackup backup) => _store.Exists(BackupKeys.Sidecar(backup.Site, backup.Id));

    public IArchiveUpload CreateArchive(string site, string id, bool encrypted, CancellationToken cancel = default)
    {
        var key = ArchiveKey(site, id, encrypted);
        return new Upload(_store.OpenUpload(key, cancel: cancel), Url(key));
    }

    public void WriteSidecar(string site, string id, byte[] content, CancellationToken cancel = default) =>
        _store.PutSmall(BackupKeys.Sidecar(site, id), content, cancel: cancel);

    public void Remove(WpBackup backup, CancellationToken cancel = default)
    {
        _store.Delete(BackupKeys.Sidecar(backup.Site, backup.Id), cancel);
        _store.Delete(KeyOf(backup.Path), cancel);
    }

    /// <summary>Deletes an archive left without a sidecar (a backup that failed after its upload completed).</summary>
    internal void DeleteArchive(string site, string id, bool encrypted) => _store.Delete(ArchiveKey(site, id, encrypted));

    public void Dispose() => _store.Dispose();

    private sealed class Upload(S3UploadStream stream, string path) : IArchiveUpload
    {
        public Stream Stream => stream;
        public string Path => path;
        public void Commit() => stream.Complete();
        public void Dispose() => stream.Dispose(); // aborts unless completed
    }
}
