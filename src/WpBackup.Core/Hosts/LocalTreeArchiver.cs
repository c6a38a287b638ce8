using System.Diagnostics;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Hosts;

/// <summary>
/// Streams a scanned local tree into an archive under <c>files/</c>, hashing each file, and
/// returns the manifest entries. Unreadable files fail the whole backup, naming them all.
/// </summary>
internal sealed class LocalTreeArchiver(ArchiveWriter writer, TreeArchiveOptions options)
{
    private const int MaxNamedFiles = 20;

    public List<ManifestFile> Write(IReadOnlyList<ScannedEntry> entries)
    {
        var manifest = new List<ManifestFile>(entries.Count);
        var unreadable = new List<string>();
        long filesDone = 0, bytesDone = 0;
        var sinceReport = Stopwatch.StartNew();
        foreach (var entry in entries)
        {
            if (options.ShouldStop())
                break;
            var name = ArchiveLayout.FileEntry(entry.RelativePath);
            string? sha = null;
            long size = entry.Size;
            switch (entry.Type)
            {
                case ManifestEntryType.Directory:
                    writer.AddDirectory(name, entry.Mode, entry.Modified);
                    break;
                case ManifestEntryType.Symlink:
                    writer.AddSymlink(name, entry.LinkTarget!, entry.Mode, entry.Modified);
                    break;
                default:
                    FileStream source;
                    try
                    {
                        source = new FileStream(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
                    }
                    catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                    {
                        options.Warning($"'{entry.FullPath}' was removed before it could be read; it is not in the backup.");
                        continue;
                    }
                    catch (Exception e) when (e is UnauthorizedAccessException or IOException)
                    {
                        unreadable.Add($"{entry.FullPath} ({e.Message})");
                        continue;
                    }
                    using (source)
                    {
                        var (hash, changed) = writer.AddFile(name, source, entry.Size, entry.Mode, entry.Modified, read =>
                        {
                            bytesDone += read;
                            if (sinceReport.ElapsedMilliseconds >= 200)
                            {
                                options.Progress(filesDone, bytesDone, entry.RelativePath);
                                sinceReport.Restart();
                            }
                        });
                        sha = hash;
                        if (changed || File.GetLastWriteTimeUtc(entry.FullPath) != entry.Modified.UtcDateTime)
                            options.Warning($"'{entry.FullPath}' changed while it was being backed up; the archive holds the bytes read at the time.");
                    }
                    break;
            }
            manifest.Add(new ManifestFile
            {
                Path = entry.RelativePath,
                Type = entry.Type,
                Size = size,
                Mode = ManifestFile.ModeText(entry.Mode),
                Modified = entry.Modified,
                Sha256 = sha,
                LinkTarget = entry.LinkTarget,
            });
            filesDone++;
        }
        options.Progress(filesDone, bytesDone, "");
        if (unreadable.Count > 0)
            throw new ArchiveException("FilesUnreadable",
                $"{unreadable.Count} file(s) of the site cannot be read, so the backup would be incomplete: " +
                string.Join("; ", unreadable.Take(MaxNamedFiles)) + (unreadable.Count > MaxNamedFiles ? "; …" : "") +
                ". Run as a user who can read them, or leave them out with -Exclude.");
        return manifest;
    }

}
