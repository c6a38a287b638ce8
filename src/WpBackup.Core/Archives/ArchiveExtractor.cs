using System.Formats.Tar;
using System.Security.Cryptography;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Archives;

/// <summary>
/// Reads a whole archive once, writing the site's files into a fresh staging folder and the
/// dump into a private folder, hashing as it writes. Entries that would escape the staging
/// folder, or be written through a link, are refused; devices and FIFOs are skipped.
/// </summary>
internal sealed class ArchiveExtractor(ArchiveReader reader, Action<StagedExtraction> onProgress)
{
    private readonly HashSet<string> _links = new(StringComparer.Ordinal);
    private readonly List<(string Path, UnixFileMode Mode, DateTimeOffset Modified)> _folders = [];

    public StagedExtraction Extract(string? stagingRoot, string privateFolder, bool extractFiles, bool extractDump)
    {
        var staged = new StagedExtraction { StagingRoot = stagingRoot ?? "" };
        while (reader.Next() is { } entry)
        {
            var relative = EntryPath.SiteRelative(entry.Name);
            if (relative is not null)
            {
                if (extractFiles)
                    ExtractSiteEntry(entry, relative, staged);
            }
            else if (entry.Name == ArchiveLayout.DatabaseEntry)
            {
                if (extractDump)
                    ExtractDump(entry, Path.Combine(privateFolder, ArchiveLayout.DatabaseEntry), staged);
            }
            else if (entry.Name == ArchiveLayout.ParentConfigEntry)
            {
                if (extractFiles)
                    staged.ParentConfigPath = WriteFile(entry, Path.Combine(privateFolder, "wp-config.php"), out _);
            }
            else if (entry.Name == ArchiveLayout.ManifestEntry)
                staged.Manifest = reader.Guard(() => ReadManifest(entry));
            else if (entry.EntryType is not TarEntryType.GlobalExtendedAttributes)
                throw new ArchiveException("UnexpectedEntry",
                    $"The archive '{reader.Path}' holds '{entry.Name}', which is not part of a WpBackup archive; it was not restored.");
            onProgress(staged);
        }
        ApplyFolderAttributes();
        return staged;
    }

    private void ExtractSiteEntry(TarEntry entry, string relative, StagedExtraction staged)
    {
        var parts = EntryPath.Validate(relative, reader.Path);
        for (var i = 1; i < parts.Length; i++)
        {
            if (_links.Contains(string.Join('/', parts[..i])))
                throw new ArchiveException("UnsafeEntry",
                    $"The archive '{reader.Path}' holds '{entry.Name}', which would be written through the link '{string.Join('/', parts[..i])}'. The restore was stopped before anything outside the target was touched.");
        }
        var full = parts.Length == 0 ? staged.StagingRoot : Path.Combine([staged.StagingRoot, .. parts]);
        if (parts.Length > 0 && staged.Entries.ContainsKey(relative))
            throw new ArchiveException("DuplicateEntry", $"The archive '{reader.Path}' holds '{entry.Name}' twice; it is not one WpBackup wrote.");
        var modified = entry.ModificationTime;
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(full);
                _folders.Add((full, entry.Mode, modified));
                staged.Entries[relative] = new StagedEntry(ManifestEntryType.Directory, null, null);
                break;
            case TarEntryType.SymbolicLink:
                File.CreateSymbolicLink(full, entry.LinkName);
                _links.Add(relative);
                staged.Entries[relative] = new StagedEntry(ManifestEntryType.Symlink, null, entry.LinkName);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                var sha = WriteFile(entry, full, out var size);
                ApplyFileAttributes(full, entry.Mode, modified);
                staged.BytesWritten += size;
                staged.Entries[relative] = new StagedEntry(ManifestEntryType.File, sha, null);
                break;
            case TarEntryType.HardLink:
                var target = EntryPath.SiteRelative(entry.LinkName);
                if (target is null || !staged.Entries.TryGetValue(target, out var linked) || linked.Type != ManifestEntryType.File)
                    throw new ArchiveException("UnsafeEntry",
                        $"The archive '{reader.Path}' holds a hard link '{entry.Name}' to '{entry.LinkName}', which is not a file restored earlier from the same archive.");
                File.Copy(Path.Combine([staged.StagingRoot, .. EntryPath.Validate(target, reader.Path)]), full);
                staged.Entries[relative] = linked;
                break;
            default:
                staged.Warnings.Add($"Skipped '{entry.Name}': a {entry.EntryType} entry is never restored.");
                break;
        }
    }

    private void ExtractDump(TarEntry entry, string path, StagedExtraction staged)
    {
        staged.DumpSha256 = WriteFile(entry, path, out var size);
        staged.DumpSize = size;
        staged.DumpPath = path;
    }

    /// <summary>Writes an entry's data to a new private file (never over an existing one); returns its SHA-256.</summary>
    private string WriteFile(TarEntry entry, string path, out long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long written = 0;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var output = new FileStream(path, options))
        {
            if (entry.DataStream is { } data)
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = reader.Guard(() => data.Read(buffer, 0, buffer.Length))) > 0)
                {
                    output.Write(buffer, 0, read);
                    hash.AppendData(buffer, 0, read);
                    written += read;
                }
            }
        }
        size = written;
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static BackupManifest ReadManifest(TarEntry entry)
    {
        using var buffer = new MemoryStream();
        entry.DataStream?.CopyTo(buffer);
        try
        {
            return BackupManifest.FromJson(buffer.ToArray());
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"its {ArchiveLayout.ManifestEntry} is not valid: {e.Message}", e);
        }
    }

    private static void ApplyFileAttributes(string path, UnixFileMode mode, DateTimeOffset modified)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, mode);
        File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
    }

    /// <summary>Folder modes and times last, deepest first: writing children would change them, and a read-only folder would block them.</summary>
    private void ApplyFolderAttributes()
    {
        foreach (var (path, mode, modified) in _folders.OrderByDescending(f => f.Path.Length))
        {
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, mode);
            Directory.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        }
    }
}
