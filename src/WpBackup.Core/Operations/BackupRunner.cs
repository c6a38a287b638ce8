using System.Diagnostics;
using System.Globalization;
using WpBackup.Core.Archives;
using WpBackup.Core.Crypto;
using WpBackup.Core.Database;
using WpBackup.Core.Errors;
using WpBackup.Core.Hosts;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;
using WpBackup.Core.Storage;
using WpBackup.Core.Threading;

namespace WpBackup.Core.Operations;

/// <summary>
/// Makes one backup of one site, on this machine or a server. The dump runs while the files
/// are archived; the archive is written under a work folder, renamed into place when whole,
/// and the sidecar written last, so a backup is listed only once complete. On any failure
/// nothing is left behind.
/// </summary>
public sealed class BackupRunner(IOperationReporter reporter)
{
    /// <summary>Makes the backup, trying again after transient failures as <see cref="BackupRequest.RetryCount"/> allows.</summary>
    public WpBackup Run(BackupRequest request, CancellationToken cancel = default) =>
        Retry.Run(attempt => RunOnce(request, attempt, cancel), request.RetryCount,
            message => reporter.Warning($"{request.Site.Name}: {message}"), cancel, request.RetryDelay);

    private WpBackup RunOnce(BackupRequest request, int retries, CancellationToken cancel)
    {
        var site = request.Site;
        using var hostTurn = request.Gates?.EnterHost(site.ComputerName, cancel);
        var clock = Stopwatch.StartNew();
        var created = DateTimeOffset.UtcNow;
        Validate(request);
        if (StorageLocation.IsS3Url(request.Destination))
            return RunToBucket(request, retries, clock, created, cancel);
        var host = SiteHosts.For(site, reporter.Warning);

        var catalog = new BackupCatalog(request.Destination);
        var siteFolder = catalog.SiteFolder(site.Name);
        CreateDestination(catalog.Root, siteFolder);
        using var siteLock = SiteLock.Acquire(siteFolder, site.Name, reporter.Warning);
        var (type, parent) = DecideType(request, catalog.List(site.Name), b => File.Exists(b.Path), created);
        var id = catalog.NewId(site.Name, created);
        var work = Path.Combine(siteFolder, BackupCatalog.WorkFolderPrefix + id);
        var encryption = request.Encryption;
        var archivePath = encryption is null ? catalog.ArchivePath(site.Name, id) : catalog.EncryptedArchivePath(site.Name, id);
        var sidecarPath = BackupCatalog.SidecarPathFor(archivePath);
        var warnings = new List<string>();
        var published = false;
        var stopDump = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task<DumpResult>? dump = null;
        PrivatePaths.CreateFolder(work);
        try
        {
            var entries = Scan(request, host, catalog.Root, warnings);
            var changes = parent is null ? null : Changes(request, host, entries, parent);
            var toArchive = changes?.ToArchive ?? entries;
            var tools = new MySqlClientTools(host);
            long databaseEstimate = request.IncludesDatabase ? EstimateDatabase(tools, site) : 0;
            CheckFreeSpace(siteFolder, toArchive.Sum(e => e.Size) + 2 * databaseEstimate);

            var dumpPath = Path.Combine(work, ArchiveLayout.DatabaseEntry);
            long dumpBytes = 0;
            if (request.IncludesDatabase)
            {
                reporter.Verbose($"{site.Name}: dumping database '{site.Database.Name}' with the server's dump tool");
                dump = StartDump(request, tools, dumpPath, n => Interlocked.Exchange(ref dumpBytes, n), stopDump.Token);
            }

            var partial = Path.Combine(work, Path.GetFileName(archivePath));
            BackupManifest manifest;
            (long Size, string Sha256, long? ManifestOffset) archive;
            using (var file = PrivatePaths.CreateFile(partial))
            {
                (manifest, archive) = WriteArchive(file, request, host, type, id, created, toArchive, changes, parent, dump, () => Interlocked.Read(ref dumpBytes),
                    dumpPath, warnings, retries, clock, cancel);
                file.Flush(flushToDisk: true);
            }

            DurableFiles.Rename(partial, archivePath);
            published = true;
            manifest.DurationSeconds = clock.Elapsed.TotalSeconds;
            var sidecar = manifest.ToSidecar(Path.GetFileName(archivePath), archive.Size, archive.Sha256, archive.ManifestOffset, encryption?.Labels);
            DurableFiles.Write(sidecarPath, Path.Combine(work, Path.GetFileName(sidecarPath)), sidecar.ToJson());
            reporter.Verbose($"{site.Name}: done, {archive.Size:N0} bytes in {clock.Elapsed.TotalSeconds:F1} s → {archivePath}");
            return WpBackup.FromManifest(sidecar, archivePath);
        }
        catch (IOException e) when (IsDiskFull(e.HResult))
        {
            throw new DestinationException("DestinationFull",
                $"The destination '{siteFolder}' ran out of space while backing up {site.Name}; the partial backup was removed. Free space or choose another -Destination.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DestinationException("DestinationNotWritable",
                $"Cannot write the backup of {site.Name} to '{siteFolder}': {e.Message} Choose a -Destination you can write to.", e);
        }
        finally
        {
            stopDump.Cancel();
            try { dump?.Wait(); } catch (AggregateException) { } // its failure, if any, was already reported
            stopDump.Dispose();
            if (published && !File.Exists(sidecarPath))
                TryDelete(archivePath);
            PrivatePaths.DeleteFolder(work);
        }
    }

    /// <summary>
    /// A backup into an S3 bucket: the archive streams straight into a multipart upload (memory bounded by the
    /// part size, no local copy of the archive; the dump is staged in a private temp folder as for folders).
    /// An incremental builds on the newest backup listed in the bucket, whose manifest is read with ranged GETs.
    /// On any failure the upload is aborted and no sidecar written; the sidecar object is put last, and when it fails
    /// the archive is deleted again (or, when that fails too, named in the error).
    /// </summary>
    private WpBackup RunToBucket(BackupRequest request, int retries, Stopwatch clock, DateTimeOffset created, CancellationToken cancel)
    {
        var site = request.Site;
        // Not disposed on success: the backup returned reads its archive through it (New-WpBackup | Test-WpBackup).
        var store = new S3Backups((S3Location)StorageLocation.Parse(request.Destination, request.S3Settings));
        var host = SiteHosts.For(site, reporter.Warning);
        var id = store.NewId(site.Name, created);
        var encrypted = request.Encryption is not null;
        var work = Path.Combine(Path.GetTempPath(), $"wpbackup-{Guid.NewGuid():N}");
        var warnings = new List<string>();
        var stopDump = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task<DumpResult>? dump = null;
        string? uploaded = null;
        var published = false;
        PrivatePaths.CreateFolder(work);
        try
        {
            var (type, parent) = DecideType(request, store.List(site.Name), store.ArchiveExists, created);
            var entries = Scan(request, host, work, warnings);
            var changes = parent is null ? null : Changes(request, host, entries, parent);
            var toArchive = changes?.ToArchive ?? entries;
            var tools = new MySqlClientTools(host);
            if (request.IncludesDatabase)
                EstimateDatabase(tools, site);
            var dumpPath = Path.Combine(work, ArchiveLayout.DatabaseEntry);
            long dumpBytes = 0;
            if (request.IncludesDatabase)
            {
                reporter.Verbose($"{site.Name}: dumping database '{site.Database.Name}' with the server's dump tool");
                dump = StartDump(request, tools, dumpPath, n => Interlocked.Exchange(ref dumpBytes, n), stopDump.Token);
            }

            BackupManifest manifest;
            (long Size, string Sha256, long? ManifestOffset) archive;
            string archiveUrl;
            using (var upload = store.CreateArchive(site.Name, id, encrypted, cancel))
            {
                archiveUrl = upload.Path;
                reporter.Verbose($"{site.Name}: streaming the archive into {archiveUrl}");
                (manifest, archive) = WriteArchive(upload.Stream, request, host, type, id, created,
                    toArchive, changes, parent, dump, () => Interlocked.Read(ref dumpBytes), dumpPath, warnings, retries, clock, cancel);
                upload.Commit();
                uploaded = archiveUrl;
            }
            manifest.DurationSeconds = clock.Elapsed.TotalSeconds;
            var sidecar = manifest.ToSidecar(Path.GetFileName(archiveUrl), archive.Size, archive.Sha256, archive.ManifestOffset, request.Encryption?.Labels);
            store.WriteSidecar(site.Name, id, sidecar.ToJson(), cancel);
            published = true;
            reporter.Verbose($"{site.Name}: done, {archive.Size:N0} bytes in {clock.Elapsed.TotalSeconds:F1} s → {archiveUrl}");
            return WpBackup.FromManifest(sidecar, archiveUrl, store);
        }
        catch (Exception e) when (uploaded is not null && !published)
        {
            UnpublishedArchive.Remove(() => store.DeleteArchive(site.Name, id, encrypted), uploaded, e);
            throw;
        }
        finally
        {
            stopDump.Cancel();
            try { dump?.Wait(); } catch (AggregateException) { }
            stopDump.Dispose();
            PrivatePaths.DeleteFolder(work);
            if (!published)
                store.Dispose();
        }
    }

    /// <summary>Dumps the database into <paramref name="dumpPath"/> while the files are archived, one dump per database server at a time.</summary>
    private static Task<DumpResult> StartDump(BackupRequest request, MySqlClientTools tools, string dumpPath, Action<long> onBytes, CancellationToken cancel) =>
        BlockingWork.Start(() =>
        {
            var database = request.Site.Database;
            using var serverTurn = request.Gates?.EnterDatabaseServer($"{request.Site.ComputerName}|{database.Host}|{database.Port}|{database.Socket}", cancel);
            using var output = PrivatePaths.CreateFile(dumpPath);
            return new DatabaseDumper(tools).Dump(database, output, onBytes, cancel);
        }, cancel);

    /// <summary>Writes the archive (files, dump, manifest; through age when encrypting) to <paramref name="file"/>.</summary>
    private (BackupManifest Manifest, (long Size, string Sha256, long? ManifestOffset) Archive) WriteArchive(Stream file, BackupRequest request, ISiteHost host,
        BackupType type, string id, DateTimeOffset created, IReadOnlyList<ScannedEntry> toArchive, ChangeSet? changes, BackupManifest? parent,
        Task<DumpResult>? dump, Func<long> dumped, string dumpPath, List<string> warnings, int retries, Stopwatch clock, CancellationToken cancel)
    {
        var site = request.Site;
        var encryption = request.Encryption;
        BackupManifest manifest;
        (long Size, string Sha256, long? ManifestOffset) archive;
        // Encrypted: the zstd stream goes through age; size and hash are then of the age file as stored.
        using var stored = encryption is null ? null : new HashingWriteStream(file);
        using var sealer = stored is null ? null : AgeEncryptStream.Create(stored, encryption!.Recipients, leaveOpen: true);
        using var writer = new ArchiveWriter(sealer ?? (Stream)file, request.CompressionLevel, request.CompressionWorkers);
        List<ManifestFile>? files = null;
        string? parentConfigSha = null;
        if (request.IncludesFiles)
        {
            reporter.Verbose($"{site.Name}: archiving {toArchive.Count} entries from {site.Root} on {host.ComputerName}");
            var totalBytes = toArchive.Sum(e => e.Size);
            files = host.ArchiveTree(site.Root, toArchive, writer, new TreeArchiveOptions(
                (done, bytes, current) => reporter.Progress(new OperationProgress(site.Name, "files", done, toArchive.Count, bytes, totalBytes, current)),
                warning => { warnings.Add(warning); reporter.Warning(warning); },
                () => cancel.IsCancellationRequested || dump is { IsFaulted: true }) { Compression = request.TransferCompression });
            parentConfigSha = AddParentConfig(writer, host, site);
        }
        var dumpResult = dump is null ? null : AwaitDump(dump, site, dumped);
        cancel.ThrowIfCancellationRequested();
        if (dumpResult is not null)
        {
            reporter.Verbose($"{site.Name}: adding the {dumpResult.Size:N0}-byte dump to the archive");
            using var dumpFile = File.OpenRead(dumpPath);
            writer.AddFile(ArchiveLayout.DatabaseEntry, dumpFile, dumpResult.Size, PrivatePaths.FileMode, DateTimeOffset.UtcNow, _ => { });
        }
        manifest = BuildManifest(request, type, id, created, files, changes, parent, parentConfigSha, dumpResult, warnings);
        manifest.Retries = retries;
        manifest.DurationSeconds = clock.Elapsed.TotalSeconds;
        reporter.Verbose($"{site.Name}: bundling the manifest");
        archive = writer.Finish(manifest.ToJson(), PrivatePaths.FileMode, DateTimeOffset.UtcNow);
        if (sealer is not null)
        {
            sealer.FlushFinalBlock();
            // The manifest-frame offset stays that of the zstd stream, i.e. of the age plaintext: its chunks can be found from it.
            archive = (stored!.BytesWritten, stored.HashHex(), archive.ManifestOffset);
        }
        return (manifest, archive);
    }

    /// <summary>An incremental request becomes a full backup when there is nothing to build on, or -FullEvery says so.</summary>
    /// <param name="listed">The backups in the destination (folder or bucket) of this site.</param>
    /// <param name="archiveExists">Whether a listed backup's archive is there too.</param>
    private (BackupType Type, BackupManifest? Parent) DecideType(BackupRequest request, IReadOnlyList<WpBackup> listed, Func<WpBackup, bool> archiveExists, DateTimeOffset now)
    {
        if (request.Type != BackupType.Incremental)
            return (request.Type, null);
        var site = request.Site.Name;
        var (parent, fullBecause) = IncrementalPlanner.ChooseParent(listed.Where(b => b.Site == site).ToList(), archiveExists, request.FullEvery, now.UtcDateTime);
        if (parent is null)
        {
            var message = $"{site}: making a Full backup instead of an incremental one: {fullBecause}.";
            if (request.FullEvery is null)
                reporter.Warning(message);
            else
                reporter.Verbose(message);
            return (BackupType.Full, null);
        }
        reporter.Verbose($"{site}: incremental on top of {parent.Id}");
        var manifest = ParentManifest.Read(parent, request.ParentKeys);
        if (parent.Encrypted && request.Encryption is null)
            reporter.Warning($"{site}: this incremental backup is not encrypted, though it builds on the encrypted {parent.Id}: its archive holds the list of " +
                             "all the site's files (names, sizes, SHA-256) in the clear. Add -Encrypt to keep the chain encrypted.");
        return (BackupType.Incremental, manifest);
    }

    private ChangeSet Changes(BackupRequest request, ISiteHost host, IReadOnlyList<ScannedEntry> entries, BackupManifest parent)
    {
        Func<ScannedEntry, string, bool>? sameContent = null;
        if (request.CompareContent)
        {
            var sizes = (parent.Files ?? []).Where(f => f.Type == ManifestEntryType.File).ToDictionary(f => f.Path, f => f.Size, StringComparer.Ordinal);
            var candidates = entries.Where(e => e.Type == ManifestEntryType.File && sizes.TryGetValue(e.RelativePath, out var size) && size == e.Size)
                .Select(e => e.RelativePath).ToList();
            reporter.Verbose($"{request.Site.Name}: hashing {candidates.Count} files on {host.ComputerName} to compare them by content");
            var hashes = host.HashFiles(request.Site.Root, candidates);
            sameContent = (entry, sha) => hashes.TryGetValue(entry.RelativePath, out var now) && now == sha;
        }
        var changes = IncrementalPlanner.Compare(entries, parent, sameContent);
        reporter.Verbose($"{request.Site.Name}: {changes.ToArchive.Count(e => e.Type == ManifestEntryType.File)} new or changed files, " +
                         $"{changes.Carried.Count} unchanged, {changes.Deleted.Count} deleted since {parent.Id}");
        return changes;
    }

    private static void Validate(BackupRequest request)
    {
        var site = request.Site;
        if (request.IncludesDatabase && !site.Database.IsResolved)
            throw new WpConfigException("WpConfigComputedValue",
                $"Cannot back up the database of {site.Name}: " + string.Join(" ", site.Database.Unresolved) +
                " Or back up the files only with -Type Files.");
        if (request.CompressionLevel is < 1 or > 19)
            throw new WpBackupException(FailureKind.InvalidArgument, "CompressionLevelOutOfRange",
                $"Compression level {request.CompressionLevel} is out of range; use 1 (fastest) to 19 (smallest).");
    }

    private static void CreateDestination(string root, string siteFolder)
    {
        try
        {
            PrivatePaths.CreateFolder(root);
            var isNew = !Directory.Exists(siteFolder);
            PrivatePaths.CreateFolder(siteFolder);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(siteFolder, PrivatePaths.FolderMode);
            if (isNew)
                DurableFiles.SyncFolder(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DestinationException("DestinationNotWritable",
                $"Cannot create the backup folder '{siteFolder}': {e.Message} Choose a -Destination you can write to.", e);
        }
    }

    private List<ScannedEntry> Scan(BackupRequest request, ISiteHost host, string destinationRoot, List<string> warnings)
    {
        if (!request.IncludesFiles)
            return [];
        var site = request.Site;
        if (!host.FolderHasContent(site.Root))
            throw new SiteNotFoundException("PathNotFound", $"The site folder '{site.Root}' of {site.Name} is missing or empty on {host.ComputerName}.");
        var patterns = (request.UseDefaultExcludes ? ExcludeFilter.Defaults : []).Concat(request.Exclude).ToList();
        // A destination inside the site must not back itself up.
        var relativeDestination = Path.GetRelativePath(site.Root, destinationRoot);
        if (site.IsLocal && !relativeDestination.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relativeDestination))
            patterns.Add("/" + relativeDestination.Replace('\\', '/'));
        reporter.Progress(new OperationProgress(site.Name, "scan", 0, 0, 0, 0, site.Root));
        var entries = host.ScanTree(site.Root, new ExcludeFilter(patterns), skipped =>
        {
            warnings.Add(skipped);
            reporter.Warning(skipped);
        });
        reporter.Verbose($"{site.Name}: {entries.Count} entries, {entries.Sum(e => e.Size):N0} bytes to archive");
        return entries;
    }

    private long EstimateDatabase(MySqlClientTools tools, WpSite site)
    {
        var lines = tools.Query(site.Database,
            "SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
        var size = long.Parse(lines.FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
        reporter.Verbose($"{site.Name}: database '{site.Database.Name}' reachable, about {size:N0} bytes");
        return size;
    }

    private static void CheckFreeSpace(string folder, long needed)
    {
        long free;
        try
        {
            free = new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return; // cannot tell; a full disk is still caught while writing
        }
        if (free < needed)
            throw new DestinationException("DestinationFull",
                $"'{folder}' has {free:N0} bytes free but this backup may need up to {needed:N0}. Free space or choose another -Destination.");
    }

    private DumpResult AwaitDump(Task<DumpResult> dump, WpSite site, Func<long> dumped)
    {
        while (!((IAsyncResult)dump).AsyncWaitHandle.WaitOne(200))
            reporter.Progress(new OperationProgress(site.Name, "dump", 0, 0, dumped(), 0, site.Database.Name));
        return dump.GetAwaiter().GetResult();
    }

    /// <returns>The SHA-256 of the stored config, or null when wp-config.php is in the root.</returns>
    private static string? AddParentConfig(ArchiveWriter writer, ISiteHost host, WpSite site)
    {
        var inRoot = site.Root.TrimEnd('/') + "/wp-config.php";
        if (string.Equals(site.ConfigPath.Replace('\\', '/'), inRoot.Replace('\\', '/'), StringComparison.Ordinal))
            return null;
        var content = host.ReadFile(site.ConfigPath) ?? throw new WpConfigException("WpConfigUnreadable",
            $"'{site.ConfigPath}' of {site.Name} vanished during the backup.");
        using var source = new MemoryStream(content, writable: false);
        return writer.AddFile(ArchiveLayout.ParentConfigEntry, source, content.Length, PrivatePaths.FileMode, DateTimeOffset.UtcNow, _ => { }).Sha256;
    }

    private static BackupManifest BuildManifest(BackupRequest request, BackupType type, string id, DateTimeOffset created,
        List<ManifestFile>? stored, ChangeSet? changes, BackupManifest? parent, string? parentConfigSha, DumpResult? dump, List<string> warnings)
    {
        var site = request.Site;
        var files = changes is null ? stored : [.. (stored ?? []).Concat(changes.Carried).OrderBy(f => f.Path, StringComparer.Ordinal)];
        return new BackupManifest
        {
            Id = id,
            Site = site.Name,
            ComputerName = site.ComputerName,
            Ssh = site.Ssh is { } ssh ? new ManifestSsh { HostName = ssh.HostName, Port = ssh.Port, UserName = ssh.UserName } : null,
            Type = type.ToString(),
            Parent = parent?.Id,
            Created = created,
            Reason = request.Reason,
            Root = site.Root,
            ConfigPath = site.ConfigPath,
            ParentConfigSha256 = parentConfigSha,
            WordPressVersion = site.WordPressVersion,
            Database = dump is null ? null : new ManifestDatabase
            {
                Name = site.Database.Name,
                Host = site.Database.Host,
                Port = site.Database.Port,
                Socket = site.Database.Socket,
                User = site.Database.User,
                TablePrefix = site.Database.TablePrefix,
                Charset = site.Database.Charset,
                DumpSize = dump.Size,
                DumpSha256 = dump.Sha256,
                DumpTool = dump.Tool,
            },
            FileCount = files?.Count(f => f.Type == ManifestEntryType.File) ?? 0,
            StoredFileCount = stored?.Count(f => f.Type == ManifestEntryType.File) ?? 0,
            Deleted = changes?.Deleted,
            Requires = changes is null ? [] : [.. changes.Carried.Select(f => f.Source!).Distinct().Order(StringComparer.Ordinal)],
            FilesSize = files?.Sum(f => f.Size) ?? 0,
            Metadata = new Dictionary<string, string>(request.Metadata),
            Warnings = warnings,
            Files = files,
        };
    }

    private static bool IsDiskFull(int hresult) => (hresult & 0xFFFF) is 28 or 112; // ENOSPC, ERROR_DISK_FULL

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
