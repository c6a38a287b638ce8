using System.Formats.Tar;
using WpBackup.Core.Errors;
using WpBackup.Core.Text;

namespace WpBackup.Core.Archives;

/// <summary>
/// Reads a whole archive once, checking every entry and hashing every byte, and hands the
/// site's entries to a tree writer (or, when there is none, only checks them). Entries that
/// would escape the target or be written through a link are refused; devices and FIFOs are
/// skipped. A wp-config.php kept above the root is restored into the root; the dump goes to a
/// private folder when asked for.
/// </summary>
internal sealed class ArchiveExtractor(ArchiveReader reader, Action<StagedExtraction> onProgress)
{
    /// <param name="tree">Receives the site's entries; null checks them without writing. The caller completes it.</param>
    /// <param name="dumpFolder">Receives the dump; null checks it without writing.</param>
    /// <param name="wanted">The parts to read: the site's entries (Files), the dump (Database) or both (Full).
    /// The bodies of the other parts are passed over unhashed.</param>
    /// <param name="manifest">The manifest when it was already read from its own frame: reading then stops as soon as
    /// the wanted parts are behind, relying on the order every WpBackup archive has (files, dump, manifest).</param>
    public StagedExtraction Extract(ISiteTreeWriter? tree, string? dumpFolder, BackupType wanted = BackupType.Full, BackupManifest? manifest = null)
    {
        var staged = new StagedExtraction { Manifest = manifest };
        var files = wanted.HasFiles();
        var dump = wanted.HasDatabase();
        while (reader.Next() is { } entry)
        {
            var relative = EntryPath.SiteRelative(entry.Name);
            if (relative is not null)
            {
                if (files)
                    ExtractSiteEntry(entry, relative, tree, staged);
            }
            else if (entry.Name == ArchiveLayout.DatabaseEntry)
            {
                if (dump)
                {
                    staged.DumpPath = dumpFolder is null ? null : Path.Combine(dumpFolder, ArchiveLayout.DatabaseEntry);
                    (staged.DumpSha256, staged.DumpSize, staged.DumpTail) = Consume(entry, staged.DumpPath, staged);
                    staged.HasDump = true;
                }
                if (manifest is not null)
                    break; // only the manifest, already read, follows the dump
            }
            else if (entry.Name == ArchiveLayout.ParentConfigEntry)
            {
                if (files)
                    staged.ParentConfigSha256 = ExtractParentConfig(entry, tree, staged);
            }
            else if (entry.Name == ArchiveLayout.ManifestEntry)
                staged.Manifest = reader.Guard(() => ReadManifest(entry));
            else if (entry.EntryType is not TarEntryType.GlobalExtendedAttributes)
                throw new ArchiveException("UnexpectedEntry",
                    $"The archive '{reader.Path}' holds '{entry.Name}', which is not part of a WpBackup archive; it was not restored.");
            onProgress(staged);
        }
        return staged;
    }

    /// <summary>
    /// Reads an earlier backup's archive for the files an incremental backup carries from it:
    /// only the wanted paths are written, with the mode and time the incremental's manifest gives.
    /// </summary>
    public void ExtractCarried(StagedExtraction staged, ISiteTreeWriter? tree, IReadOnlyDictionary<string, ManifestFile> wanted)
    {
        while (reader.Next() is { } entry)
        {
            if (EntryPath.SiteRelative(entry.Name) is not { } relative || !wanted.TryGetValue(relative, out var file) ||
                entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || staged.Entries.ContainsKey(relative))
                continue;
            CheckPath(entry, relative, staged);
            var mode = (UnixFileMode)Convert.ToInt32(file.Mode, 8);
            using var data = new HashingReadStream(entry.DataStream ?? Stream.Null, reader.Guard);
            tree?.File(relative, data, entry.Length, mode, file.Modified);
            data.Drain();
            staged.BytesWritten += data.BytesRead;
            staged.BytesHashed += data.BytesRead;
            staged.Entries[relative] = new StagedEntry(ManifestEntryType.File, data.HashHex(), null);
            onProgress(staged);
        }
    }

    /// <summary>Refuses a path that escapes the target or runs through a link restored earlier.</summary>
    private void CheckPath(TarEntry entry, string relative, StagedExtraction staged)
    {
        var parts = EntryPath.Validate(relative, reader.Path);
        for (var i = 1; i < parts.Length; i++)
        {
            var prefix = string.Join('/', parts[..i]);
            if (staged.Links.Contains(prefix))
                throw new ArchiveException("UnsafeEntry",
                    $"The archive '{reader.Path}' holds '{entry.Name}', which would be written through the link '{prefix}'. The restore was stopped before anything outside the target was touched.");
        }
    }

    private void ExtractSiteEntry(TarEntry entry, string relative, ISiteTreeWriter? tree, StagedExtraction staged)
    {
        CheckPath(entry, relative, staged);
        if (staged.Entries.ContainsKey(relative))
            throw new ArchiveException("DuplicateEntry", $"The archive '{reader.Path}' holds '{entry.Name}' twice; it is not one WpBackup wrote.");
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                tree?.Directory(relative, entry.Mode, entry.ModificationTime);
                staged.Entries[relative] = new StagedEntry(ManifestEntryType.Directory, null, null);
                break;
            case TarEntryType.SymbolicLink:
                tree?.Symlink(relative, entry.LinkName);
                staged.Links.Add(relative);
                staged.Entries[relative] = new StagedEntry(ManifestEntryType.Symlink, null, entry.LinkName);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                using (var data = new HashingReadStream(entry.DataStream ?? Stream.Null, reader.Guard))
                {
                    tree?.File(relative, data, entry.Length, entry.Mode, entry.ModificationTime);
                    data.Drain();
                    staged.BytesWritten += data.BytesRead;
                    staged.BytesHashed += data.BytesRead;
                    staged.Entries[relative] = new StagedEntry(ManifestEntryType.File, data.HashHex(), null);
                }
                break;
            case TarEntryType.HardLink:
                var target = EntryPath.SiteRelative(entry.LinkName);
                if (target is null || !staged.Entries.TryGetValue(target, out var linked) || linked.Type != ManifestEntryType.File)
                    throw new ArchiveException("UnsafeEntry",
                        $"The archive '{reader.Path}' holds a hard link '{entry.Name}' to '{entry.LinkName}', which is not a file restored earlier from the same archive.");
                tree?.HardLink(relative, target);
                staged.Entries[relative] = linked;
                break;
            default:
                staged.Warnings.Add($"Skipped '{entry.Name}': a {entry.EntryType} entry is never restored.");
                break;
        }
    }

    /// <summary>WordPress finds wp-config.php in the root first, so a config kept above the root is restored there.</summary>
    private string ExtractParentConfig(TarEntry entry, ISiteTreeWriter? tree, StagedExtraction staged)
    {
        using var data = new HashingReadStream(entry.DataStream ?? Stream.Null, reader.Guard);
        if (tree is not null && !staged.Entries.ContainsKey("wp-config.php"))
            tree.File("wp-config.php", data, entry.Length, entry.Mode, entry.ModificationTime);
        data.Drain();
        staged.BytesHashed += data.BytesRead;
        return data.HashHex();
    }

    /// <summary>Hashes an entry's data, writing it to a new private file when a path is given; returns its last bytes too.</summary>
    private (string Sha256, long Size, byte[] Tail) Consume(TarEntry entry, string? path, StagedExtraction staged)
    {
        using var data = new HashingReadStream(entry.DataStream ?? Stream.Null, reader.Guard);
        using var output = path is null ? null : Operations.PrivatePaths.CreateFile(path);
        var tail = new TailBuffer(StagedExtraction.TailLength);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = data.Read(buffer, 0, buffer.Length)) > 0)
        {
            output?.Write(buffer, 0, read);
            tail.Append(buffer.AsSpan(0, read));
        }
        staged.BytesHashed += data.BytesRead;
        return (data.HashHex(), data.BytesRead, tail.Bytes);
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
}
