using System.Diagnostics;
using WpBackup.Core.Archives;
using WpBackup.Core.Database;
using WpBackup.Core.Errors;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;
using WpBackup.Core.Verification;

namespace WpBackup.Core.Operations;

/// <summary>
/// Restores a backup onto its host: the archive (only the part restored) is read into a staging folder beside the
/// target and checked against its manifest before anything is replaced; then the staged tree is
/// swapped in and the verified dump streamed into the database server's own client.
/// </summary>
public sealed class RestoreRunner(IOperationReporter reporter)
{
    public static RestorePlan Plan(RestoreRequest request)
    {
        var backup = request.Backup;
        var type = request.Type ?? (backup.Type == BackupType.Incremental ? BackupType.Full : backup.Type);
        if (type == BackupType.Incremental)
            throw new WpBackupException(FailureKind.InvalidArgument, "RestoreTypeInvalid",
                "-Type for a restore is Full, Database or Files; an incremental backup restores the whole tree as it was.");
        if ((type.HasFiles() && !backup.Type.HasFiles()) || (type.HasDatabase() && !backup.Type.HasDatabase()))
            throw new WpBackupException(FailureKind.InvalidArgument, "BackupLacksPart",
                $"Backup {backup} is a {backup.Type} backup; it cannot restore {type}. Leave out -Type, or pick a Full backup.");
        if (!backup.IsLocalArchive())
            throw new BackupNotFoundException("ArchiveNotFound",
                $"The archive of backup {backup} is missing ('{backup.Path}'). Remove the stale entry with Remove-WpBackup or copy the archive back.");
        var restoresFiles = type.HasFiles();
        if (restoresFiles)
            CarriedFiles.Archives(ChainArchives.Of(backup), backup.ToString(), backup.Requires);
        var target = restoresFiles ? request.Target ?? backup.Root : null;
        var hasContent = target is not null && request.Host.FolderHasContent(target);
        var databaseName = type is BackupType.Files ? null : request.Database.Name ?? backup.DatabaseName;
        return new RestorePlan(request, type, target, hasContent, databaseName);
    }

    public WpRestoreResult Run(RestorePlan plan, CancellationToken cancel = default)
    {
        var backup = plan.Request.Backup;
        var host = plan.Request.Host;
        var clock = Stopwatch.StartNew();
        var archives = new List<string> { backup.Path };
        var dumpFolder = plan.RestoresDatabase ? Path.Combine(Path.GetTempPath(), $"wpbackup-restore-{Guid.NewGuid():N}") : null;
        string? staging = null;
        var manifestFirst = ManifestForPartialRead(plan);
        // An archive read whole is hashed on the way, so it can be held against its sidecar before anything is replaced.
        var hashed = manifestFirst is null && backup.Sidecar is not null
            ? new ArchiveFileHash(backup.Store?.OpenArchive(backup, cancel) ?? ArchiveReader.OpenFile(backup.Path))
            : null;
        // Opened first: a wrong or missing key fails here, before anything is created or replaced.
        var source = hashed is null ? ArchiveSource.Open(backup, plan.Request.Keys) : ArchiveSource.Open(backup.Path, plan.Request.Keys, hashed);
        try
        {
            if (plan.RestoresFiles)
            {
                var chain = ChainArchives.Of(backup);
                CarriedFiles.CheckKeys(chain, backup.ToString(), CarriedFiles.Archives(chain, backup.ToString(), backup.Requires), plan.Request.Keys);
            }
            if (dumpFolder is not null)
                PrivatePaths.CreateFolder(dumpFolder);
            if (plan.RestoresFiles)
                staging = host.CreateStagingFolder(plan.Target!, leftover => reporter.Warning(leftover.PutBack
                    ? $"{backup.Site}: put '{leftover.Path}' back at '{plan.Target}' on {host.ComputerName}: an interrupted restore had moved the site aside and not yet replaced it."
                    : $"{backup.Site}: removed '{leftover.Path}' on {host.ComputerName}, left by an interrupted restore."));

            reporter.Verbose(manifestFirst is null
                ? $"{backup.Site}: reading and checking {backup.Path}"
                : $"{backup.Site}: reading and checking only the {PartName(plan.Type)} in {backup.Path}");
            StagedExtraction staged;
            long bytesDecompressed;
            if (manifestFirst is not null && plan.Type == BackupType.Database)
                source.Position = DumpFrameOffset(source, backup.Manifest.ManifestOffset!.Value);
            using (var reader = new ArchiveReader(backup.Path, source))
            {
                var tree = staging is null ? null : host.OpenTreeWriter(staging);
                try
                {
                    var extractor = new ArchiveExtractor(reader, s =>
                    {
                        cancel.ThrowIfCancellationRequested();
                        reporter.Progress(new OperationProgress(backup.Site, "extract", s.Entries.Count, backup.FileCount, reader.Position, reader.Length));
                    });
                    staged = extractor.Extract(tree, dumpFolder, plan.Type, manifestFirst);
                    if (plan.RestoresFiles && staged.Manifest is { } manifest)
                    {
                        var chain = ChainArchives.Of(backup);
                        archives.AddRange(CarriedFiles.Archives(chain, backup.ToString(), manifest.Requires));
                        CarriedFiles.Extract(chain, manifest, staged, tree, reporter.Verbose, (s, r) =>
                        {
                            cancel.ThrowIfCancellationRequested();
                            reporter.Progress(new OperationProgress(backup.Site, "extract", s.Entries.Count, backup.FileCount, r.Position, r.Length));
                        }, plan.Request.Keys);
                    }
                    tree?.Complete();
                }
                finally
                {
                    (tree as IDisposable)?.Dispose();
                }
                CheckAgainstManifest(reader, staged, plan);
                if (backup.Sidecar is { } sidecar)
                {
                    var (size, sha256) = hashed is null ? (new FileInfo(backup.Path).Length, (string?)null) : hashed.Finish();
                    SidecarCheck.Require(sidecar, backup.Path, size, sha256, staged.Manifest!);
                }
                bytesDecompressed = reader.BytesDecompressed;
            }
            foreach (var warning in staged.Warnings)
                reporter.Warning(warning);

            if (staging is not null)
            {
                reporter.Verbose($"{backup.Site}: all {staged.Entries.Count} entries verified; putting them in place at {plan.Target} on {host.ComputerName}");
                host.ReplaceFolder(staging, plan.Target!);
                staging = null;
            }

            DatabaseSettings? database = null;
            if (plan.RestoresDatabase)
            {
                database = ResolveDatabase(plan);
                reporter.Verbose($"{backup.Site}: loading the {staged.DumpSize:N0}-byte dump into '{database.Name}' on {database}");
                using var dump = File.OpenRead(staged.DumpPath!);
                new DatabaseRestorer(new MySqlClientTools(host)).Restore(database, dump,
                    sent => reporter.Progress(new OperationProgress(backup.Site, "database", 0, 0, sent, staged.DumpSize, database.Name)), cancel);
            }

            return new WpRestoreResult
            {
                Site = backup.Site,
                BackupId = backup.Id,
                Type = plan.Type,
                ComputerName = host.ComputerName,
                Target = plan.Target,
                FilesRestored = staged.Entries.Values.Count(e => e.Type == ManifestEntryType.File),
                BytesRestored = staged.BytesWritten,
                Database = database?.Name,
                DatabaseServer = database?.ToString(),
                Archives = archives,
                Duration = clock.Elapsed,
                Warnings = staged.Warnings,
                BytesHashed = staged.BytesHashed,
                BytesDecompressed = bytesDecompressed,
            };
        }
        finally
        {
            source.Dispose();
            if (staging is not null)
                host.DeleteFolder(staging);
            if (dumpFolder is not null)
                PrivatePaths.DeleteFolder(dumpFolder);
        }
    }

    /// <summary>
    /// When only one part of a backup that holds both is restored, its manifest is read first from
    /// its own frame, so the archive is read only as far as that part and the other is never hashed.
    /// An encrypted archive or one without a recorded manifest offset is read whole.
    /// </summary>
    private static BackupManifest? ManifestForPartialRead(RestorePlan plan)
    {
        var backup = plan.Request.Backup;
        var partial = plan.RestoresFiles != backup.Type.HasFiles() || plan.RestoresDatabase != backup.Type.HasDatabase();
        if (!partial || backup.Store is not null || ArchiveLayout.IsEncryptedName(backup.Path) || backup.Manifest.ManifestOffset is not > 0)
            return null;
        return ArchiveReader.ReadManifest(backup.Path, backup.Manifest.ManifestOffset);
    }

    /// <summary>
    /// Where the frame before the manifest's starts: the dump's own frame in archives that give it one,
    /// 0 in older ones (one frame for files and dump), so reading from there always reaches the dump.
    /// </summary>
    private static long DumpFrameOffset(Stream archive, long manifestOffset) =>
        ZstdFrames.Starts(archive, manifestOffset) is [.., var last] ? last : 0;

    private static string PartName(BackupType type) => type == BackupType.Database ? "dump" : "files";

    private static void CheckAgainstManifest(ArchiveReader reader, StagedExtraction staged, RestorePlan plan)
    {
        if (staged.Manifest is null)
            throw reader.Damaged($"it ends before its {ArchiveLayout.ManifestEntry}; nothing was restored");
        var problems = ManifestCheck.Problems(staged.Manifest, staged, plan.RestoresFiles, plan.RestoresDatabase, includeCarried: plan.RestoresFiles);
        if (problems.Count > 0)
            throw new ArchiveException("ArchiveMismatch",
                $"The archive '{reader.Path}' does not match its manifest, so nothing was restored: {string.Join("; ", problems)}.");
    }

    /// <summary>The login for the restore: overrides on top of the site's wp-config.php as it now is at the target.</summary>
    private static DatabaseSettings ResolveDatabase(RestorePlan plan)
    {
        var request = plan.Request;
        var manifest = request.Backup.Manifest;
        var (settings, fromConfig) = DatabaseLogin.Resolve(request.Host,
            [plan.Target is null ? null : plan.Target.TrimEnd('/') + "/wp-config.php", manifest.ConfigPath], manifest.Database, request.Database);
        if (!settings.IsResolved)
            throw new WpConfigException("WpConfigComputedValue",
                $"Cannot tell which database to restore {request.Backup} into: " + string.Join(" ", settings.Unresolved));
        if (!fromConfig && request.Database.Password is null)
            throw new DatabaseException("DatabaseCredentialNeeded",
                $"No wp-config.php was found at the target to log in to the database for {request.Backup}; pass -DatabaseCredential.");
        return settings;
    }
}
