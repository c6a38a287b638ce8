using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;
using WpBackup.Core.Threading;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// Streams listed entries of a server's tree through the server's own <c>tar</c> (names fed
/// NUL-separated on stdin) straight into the local archive, hashing each file on the way.
/// </summary>
internal sealed class RemoteTreeArchiver(SshHost host, ArchiveWriter writer, TreeArchiveOptions options)
{
    private const int MaxNamed = 20;

    public List<ManifestFile> Write(string root, IReadOnlyList<ScannedEntry> entries)
    {
        var scanned = entries.ToDictionary(e => e.RelativePath, StringComparer.Ordinal);
        var manifest = new List<ManifestFile>(entries.Count);
        var compression = Resolve(options.Compression);
        using var tar = host.Start("sh", ["-c", RemoteScripts.ArchiveTree, "sh", root, .. CompressorOption(compression)], $"tar (archiving the files of '{root}')");
        var feeding = BlockingWork.Start(() => FeedNames(tar.StandardInput, entries));
        long done = 0, bytes = 0;
        var sinceReport = Stopwatch.StartNew();
        try
        {
            // A decompressor is ours to dispose; the channel's own output stream is not.
            using var decompressor = compression == TransferCompression.None ? null : Decompressed(tar.StandardOutput, compression);
            using var reader = new TarReader(decompressor ?? tar.StandardOutput, leaveOpen: true);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (options.ShouldStop())
                {
                    tar.Kill();
                    break;
                }
                var relative = Relative(entry.Name);
                var name = ArchiveLayout.FileEntry(relative);
                string? sha = null;
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        writer.AddDirectory(name, entry.Mode, entry.ModificationTime);
                        break;
                    case TarEntryType.SymbolicLink:
                        writer.AddSymlink(name, entry.LinkName, entry.Mode, entry.ModificationTime);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        var (hash, _) = writer.AddFile(name, entry.DataStream ?? Stream.Null, entry.Length, entry.Mode, entry.ModificationTime, read =>
                        {
                            bytes += read;
                            if (sinceReport.ElapsedMilliseconds >= 200)
                            {
                                options.Progress(done, bytes, relative);
                                sinceReport.Restart();
                            }
                        });
                        sha = hash;
                        if (scanned.TryGetValue(relative, out var listed) && (listed.Size != entry.Length || listed.Modified != entry.ModificationTime))
                            options.Warning($"'{root}/{relative}' on {host.ComputerName} changed while it was being backed up; the archive holds the bytes read at the time.");
                        break;
                    default:
                        continue;
                }
                manifest.Add(new ManifestFile
                {
                    Path = relative,
                    Type = entry.EntryType == TarEntryType.Directory ? ManifestEntryType.Directory
                        : entry.EntryType == TarEntryType.SymbolicLink ? ManifestEntryType.Symlink : ManifestEntryType.File,
                    Size = entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile ? entry.Length : 0,
                    Mode = ManifestFile.ModeText(entry.Mode),
                    Modified = entry.ModificationTime,
                    Sha256 = sha,
                    LinkTarget = entry.EntryType == TarEntryType.SymbolicLink ? entry.LinkName : null,
                });
                done++;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or Renci.SshNet.Common.SshException)
        {
            tar.Kill();
            var (failedExit, stderr) = SafeWait(tar);
            if (failedExit >= 2 && stderr.Length > 0)
                Judge(root, failedExit, stderr); // tar's own words (unreadable files, tar missing) say more than the broken stream
            throw new TransportException("RemoteTarFailed",
                $"The file stream from tar on {host.Target} broke off while archiving the files of '{root}' ({e.Message}). {stderr.Trim()}", e);
        }
        feeding.GetAwaiter().GetResult();
        options.Progress(done, bytes, "");
        var (exit, error) = tar.WaitForExit();
        Judge(root, exit, error);
        return manifest;
    }

    /// <summary>GNU tar: 0 fine, 1 some files changed or vanished while read (warnings), 2 fatal.</summary>
    private void Judge(string root, int exit, string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (exit == 1)
        {
            foreach (var line in lines)
                options.Warning($"{host.ComputerName}: {line}");
            return;
        }
        if (exit == 0)
            return;
        // A file listed by the scan and removed before tar reached it: the site no longer has it, as with exit 1.
        var problems = lines.Where(l => !l.EndsWith("Exiting with failure status due to previous errors", StringComparison.Ordinal)).ToList();
        if (exit == 2 && problems.Count > 0 && problems.All(l => l.EndsWith("Cannot stat: No such file or directory", StringComparison.Ordinal)))
        {
            foreach (var line in problems)
                options.Warning($"{host.ComputerName}: {line} (removed before it could be read; it is not in the backup)");
            return;
        }
        var unreadable = lines.Where(l => l.Contains("Cannot open", StringComparison.Ordinal) || l.Contains("Permission denied", StringComparison.Ordinal)).ToList();
        if (unreadable.Count > 0)
            throw new ArchiveException("FilesUnreadable",
                $"{unreadable.Count} file(s) of '{root}' on {host.Target} cannot be read, so the backup would be incomplete: " +
                string.Join("; ", unreadable.Take(MaxNamed)) + ". Connect as a user who can read them, or leave them out with -Exclude.");
        if (lines.Any(l => l.Contains("not found", StringComparison.OrdinalIgnoreCase) || l.Contains("unrecognized option", StringComparison.OrdinalIgnoreCase)))
            throw new TransportException("RemoteToolMissing",
                $"GNU tar is needed on {host.Target} to back up files: {string.Join(" ", lines)}");
        throw new TransportException("RemoteTarFailed", $"tar on {host.Target} failed (exit {exit}) while archiving the files of '{root}': {string.Join(" ", lines)}");
    }

    private TransferCompression Resolve(TransferCompression wanted) => wanted switch
    {
        TransferCompression.Auto => host.FindProgram("zstd") is null ? TransferCompression.None : TransferCompression.Zstd,
        _ => wanted,
    };

    /// <summary>Fast levels: the point is fewer bytes on the wire, not a small archive (the archive is recompressed here).</summary>
    private static string[] CompressorOption(TransferCompression compression) => compression switch
    {
        TransferCompression.Zstd => ["--use-compress-program=zstd -1 -T0"],
        TransferCompression.Gzip => ["--use-compress-program=gzip -1"],
        _ => [],
    };

    private static Stream Decompressed(Stream stream, TransferCompression compression) => compression switch
    {
        TransferCompression.Zstd => new ZstdSharp.DecompressionStream(stream, leaveOpen: true),
        TransferCompression.Gzip => new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true),
        _ => stream,
    };

    private static void FeedNames(Stream input, IReadOnlyList<ScannedEntry> entries)
    {
        try
        {
            using var buffered = new BufferedStream(input, 1 << 16);
            foreach (var entry in entries)
            {
                buffered.Write(Encoding.UTF8.GetBytes(entry.RelativePath.Length == 0 ? "." : "./" + entry.RelativePath));
                buffered.WriteByte(0);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or Renci.SshNet.Common.SshException)
        {
            // tar stopped reading (it failed or was stopped); its exit status says why.
        }
    }

    private static string Relative(string tarName)
    {
        var name = tarName.TrimEnd('/');
        if (name is "." or "")
            return "";
        return name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
    }

    private static (int, string) SafeWait(HostProcess process)
    {
        try { return process.WaitForExit(); }
        catch (TransportException e) { return (-1, e.Message); }
    }
}
