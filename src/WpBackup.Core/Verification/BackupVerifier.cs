using System.Diagnostics;
using WpBackup.Core.Archives;
using WpBackup.Core.Database;
using WpBackup.Core.Errors;
using WpBackup.Core.Hosts;
using WpBackup.Core.Reporting;

namespace WpBackup.Core.Verification;

/// <summary>
/// Tests a backup without touching the site: reads the archive once, end to end (zstd
/// checksums, every entry's SHA-256 against the manifest, the dump's hash and completion
/// marker, the archive's size and hash against its sidecar, the chain of parents), and with
/// <see cref="VerifyRequest.Deep"/> restores it into a scratch folder and a scratch database,
/// checks the WordPress tables, and removes both again, whatever happens.
/// </summary>
public sealed class BackupVerifier(IOperationReporter reporter)
{
    public WpBackupTestResult Run(VerifyRequest request, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var stored = request.Stored;
        var path = stored is null ? Path.GetFullPath(request.ArchivePath) : request.ArchivePath;
        if (stored is not null ? !stored.IsLocalArchive() : !File.Exists(path))
            throw new BackupNotFoundException("ArchiveNotFound",
                $"No backup archive at '{path}'. Remove the stale entry with Remove-WpBackup, or copy the archive back.") { Target = path };
        var sidecar = request.Sidecar;
        var label = sidecar is not null ? $"{sidecar.Site}/{sidecar.Id}" : Path.GetFileName(path);
        var problems = new List<string>();
        if (request.SidecarProblem is not null)
            problems.Add(request.SidecarProblem);

        using var scratch = request.Deep ? ScratchFolder.Create(request.ScratchParent) : null;
        if (scratch is not null)
            reporter.Verbose($"{label}: restoring into the scratch folder {scratch.Path} while reading");
        reporter.Verbose($"{label}: reading {path} end to end");
        var tree = scratch is null ? null : new LocalTreeWriter(scratch.Site);
        var scan = ArchiveScan.Run(path, tree, scratch?.Private, (s, done, total) =>
        {
            cancel.ThrowIfCancellationRequested();
            reporter.Progress(new OperationProgress(label, "extract", s.Entries.Count, 0, done, total));
        }, request.Keys, stored is null ? null : stored.Store!.OpenArchive(stored, cancel));
        var staged = scan.Staged;
        var manifest = staged?.Manifest;
        var site = sidecar?.Site ?? manifest?.Site ?? Path.GetFileName(Path.GetDirectoryName(path)) ?? "";
        var id = sidecar?.Id ?? manifest?.Id ?? (ArchiveLayout.IsEncryptedName(path) ? ArchiveLayout.IdOf(Path.GetFileName(path)) : Path.GetFileName(path).Replace(ArchiveLayout.ArchiveExtension, ""));
        label = $"{site}/{id}";

        foreach (var warning in staged?.Warnings ?? [])
            reporter.Warning($"{label}: {warning}");
        if (scan.Damage is not null)
            problems.Add(scan.Damage);
        else if (manifest is null)
            problems.Add($"the archive ends without its {ArchiveLayout.ManifestEntry}; it is not a whole WpBackup archive");
        else
        {
            problems.AddRange(ManifestCheck.Problems(manifest, staged!, checkFiles: true, checkDump: true, includeCarried: false));
            if (DumpCompletionCheck.Problem(staged!) is { } cutShort)
                problems.Add(cutShort);
        }
        if (sidecar is not null)
        {
            reporter.Verbose($"{label}: read {scan.Size:N0} bytes; checking the archive's size and SHA-256 against its sidecar");
            problems.AddRange(SidecarCheck.Problems(sidecar, path, scan.Size, scan.Sha256, manifest));
        }
        else
            reporter.Verbose($"{label}: there is no sidecar, so the archive's own size and SHA-256 are not checked");
        if (stored is null)
            problems.AddRange(ParentChainCheck.Problems(path, id, sidecar is not null ? sidecar.Parent : manifest?.Parent));
        else
        {
            if ((sidecar is not null ? sidecar.Parent : manifest?.Parent) is { } parentId && !stored.Store!.List(site).Any(b => b.Id == parentId))
                problems.Add($"its parent backup '{parentId}' is missing from {stored.Store!.Name}");
            var chain = ChainArchives.Of(stored);
            foreach (var needed in sidecar?.Requires ?? manifest?.Requires ?? [])
                if (chain.Find(needed) is null)
                    problems.Add($"the archive of backup '{needed}', which holds files it carries, is missing ({chain.Expected(needed)})");
        }

        string? siteUrl = null, home = null;
        var deep = false;
        if (scratch is not null && problems.Count == 0)
        {
            deep = true;
            try
            {
                if (manifest!.Requires.Count > 0)
                    CarriedFiles.Extract(stored is null ? ChainArchives.Beside(path) : ChainArchives.Of(stored), manifest, staged!, tree, reporter.Verbose, (s, r) => reporter.Progress(new OperationProgress(label, "extract", s.Entries.Count, 0, r.Position, r.Length)), request.Keys);
            }
            catch (WpBackupException e)
            {
                problems.Add($"the files it carries from earlier backups could not be read: {e.Message}");
            }
            tree!.Complete();
            (siteUrl, home) = CheckRestore(manifest!, staged!, scratch, request, label, problems, cancel);
        }
        else if (scratch is not null)
            reporter.Verbose($"{label}: the archive failed its checks, so it was not restored into scratch space");

        return new WpBackupTestResult
        {
            Site = site,
            BackupId = id,
            Path = path,
            Problems = [.. problems],
            CheckedFiles = staged?.Entries.Values.Count(e => e.Type == ManifestEntryType.File) ?? 0,
            CheckedBytes = staged is null ? 0 : staged.BytesWritten + staged.DumpSize,
            Duration = clock.Elapsed,
            Deep = deep,
            SiteUrl = siteUrl,
            Home = home,
        };
    }

    /// <summary>The files are already in the scratch folder; checks them there, then loads the dump into a scratch database and looks at it.</summary>
    private (string? SiteUrl, string? Home) CheckRestore(BackupManifest manifest, StagedExtraction staged, ScratchFolder scratch,
        VerifyRequest request, string label, List<string> problems, CancellationToken cancel)
    {
        if (manifest.Files is { } files)
        {
            reporter.Verbose($"{label}: checking the {files.Count:N0} restored entries in {scratch.Site}");
            problems.AddRange(RestoredTreeCheck.Problems(files, scratch.Site));
        }
        if (!staged.HasDump || manifest.Database is not { } database)
        {
            reporter.Verbose($"{label}: the backup holds no database; the scratch database is skipped");
            return (null, null);
        }

        var archivedConfig = File.Exists(Path.Combine(scratch.Site, "wp-config.php")) ? Path.Combine(scratch.Site, "wp-config.php") : null;
        var settings = ScratchDatabaseSettings.Resolve(manifest, archivedConfig, request.ScratchDatabase,
            request.ScratchDatabase.Name ?? ScratchDatabase.NewName());
        var tools = new MySqlClientTools(LocalHost.Instance);
        reporter.Verbose($"{label}: creating the scratch database '{settings.Name}' on {settings}");
        using var scratchDatabase = ScratchDatabase.Create(tools, settings, reporter);
        reporter.Verbose($"{label}: loading the {staged.DumpSize:N0}-byte dump into '{settings.Name}'");
        try
        {
            using var dump = File.OpenRead(staged.DumpPath!);
            scratchDatabase.Load(dump, sent => reporter.Progress(new OperationProgress(label, "database", 0, 0, sent, staged.DumpSize, settings.Name)), cancel);
        }
        catch (DatabaseException e) when (e.ErrorId is not ("DatabaseAccessDenied" or "DatabaseUnreachable" or "DatabaseToolMissing"))
        {
            problems.Add($"{ArchiveLayout.DatabaseEntry} did not load into a scratch database: {e.Message}");
            return (null, null);
        }
        reporter.Verbose($"{label}: checking the WordPress tables (prefix '{database.TablePrefix}') in '{settings.Name}'");
        var (tableProblems, siteUrl, home) = WordPressTablesCheck.Run(scratchDatabase, database.TablePrefix);
        problems.AddRange(tableProblems);
        return (siteUrl, home);
    }
}
