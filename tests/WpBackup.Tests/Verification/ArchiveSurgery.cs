using System.Formats.Tar;
using System.Security.Cryptography;
using WpBackup.Core;
using WpBackup.Core.Archives;

namespace WpBackup.Tests.Verification;

/// <summary>
/// Damages backups on purpose, precisely: copies them, rewrites chosen entries (keeping every
/// other byte of the tar), flips bytes inside zstd blocks, and writes sidecars that tell the
/// truth or lie — so each test can leave exactly one check able to notice.
/// </summary>
public static class ArchiveSurgery
{
    /// <summary>Copies an archive and its sidecar into <paramref name="destination"/>/SITE/ and returns the new archive path.</summary>
    public static string Copy(WpBackup.Core.WpBackup backup, string destination)
    {
        var folder = Path.Combine(destination, backup.Site);
        Directory.CreateDirectory(folder);
        var archive = Path.Combine(folder, Path.GetFileName(backup.Path));
        File.Copy(backup.Path, archive);
        File.Copy(backup.SidecarPath, BackupCatalog.SidecarPathFor(archive));
        return archive;
    }

    /// <summary>
    /// Rewrites an archive entry by entry; <paramref name="change"/> gets each regular file's name and
    /// bytes and returns new bytes (or the same). The sidecar is then made to match the new archive.
    /// </summary>
    public static void Rewrite(string archive, Func<string, byte[], byte[]> change)
    {
        var rewritten = archive + ".new";
        using (var input = File.OpenRead(archive))
        using (var zstdIn = ZstdStreams.Decompress(input))
        using (var reader = new TarReader(zstdIn))
        using (var output = File.Create(rewritten))
        using (var zstdOut = ZstdStreams.Compress(output, 3, 2))
        using (var writer = new TarWriter(zstdOut, TarEntryFormat.Pax))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.EntryType == TarEntryType.RegularFile && entry.DataStream is { } data)
                {
                    using var buffer = new MemoryStream();
                    data.CopyTo(buffer);
                    entry.DataStream = new MemoryStream(change(entry.Name, buffer.ToArray()));
                }
                writer.WriteEntry(entry);
            }
        }
        File.Move(rewritten, archive, overwrite: true);
        EditSidecar(archive, _ => { });
    }

    /// <summary>Rewrites the manifest inside the archive (and the sidecar to match the new archive).</summary>
    public static void EditManifest(string archive, Action<BackupManifest> edit) =>
        Rewrite(archive, (name, bytes) =>
        {
            if (name != ArchiveLayout.ManifestEntry)
                return bytes;
            var manifest = BackupManifest.FromJson(bytes);
            edit(manifest);
            return manifest.ToJson();
        });

    /// <summary>Edits the sidecar after setting its archive size and SHA-256 to the truth.</summary>
    public static void EditSidecar(string archive, Action<BackupManifest> edit)
    {
        var path = BackupCatalog.SidecarPathFor(archive);
        var sidecar = BackupManifest.FromJson(File.ReadAllBytes(path));
        sidecar.ArchiveSize = new FileInfo(archive).Length;
        sidecar.ArchiveSha256 = Sha256(archive);
        edit(sidecar);
        File.WriteAllBytes(path, sidecar.ToJson());
    }

    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file)).ToLowerInvariant();
    }

    /// <summary>Flips one bit in the middle of the payload of a zstd block of the given type (the middle one of those blocks).</summary>
    public static long FlipInsideBlock(string archive, ZstdBlockType type)
    {
        var bytes = File.ReadAllBytes(archive);
        var blocks = ZstdBlocks(bytes).Where(b => b.Type == type && b.Size > 1000).ToList();
        Assert.True(blocks.Count > 0, $"the archive has no {type} block to damage");
        var block = blocks[blocks.Count / 2];
        var at = block.Offset + 3 + block.Size / 2;
        bytes[at] ^= 0x10;
        File.WriteAllBytes(archive, bytes);
        return at;
    }

    /// <summary>Replaces the first frame's closing checksum with a wrong one: every byte of content stays intact.</summary>
    public static void BreakFrameChecksum(string archive)
    {
        var bytes = File.ReadAllBytes(archive);
        var last = ZstdBlocks(bytes).Last();
        var checksumAt = last.Offset + 3 + (last.Type == ZstdBlockType.Rle ? 1 : last.Size);
        // The checksum closes the frame: the archive ends there, or the manifest's own frame begins.
        Assert.True(checksumAt + 4 == bytes.Length || BitConverter.ToUInt32(bytes, checksumAt + 4) == 0xFD2FB528u);
        for (var i = checksumAt; i < checksumAt + 4; i++)
            bytes[i] ^= 0xFF;
        File.WriteAllBytes(archive, bytes);
    }

    public enum ZstdBlockType { Raw = 0, Rle = 1, Compressed = 2 }

    public sealed record ZstdBlock(int Offset, ZstdBlockType Type, int Size, bool Last);

    /// <summary>The blocks of the first zstd frame of an archive, which holds everything but the manifest (RFC 8878, section 3.1.1).</summary>
    public static IEnumerable<ZstdBlock> ZstdBlocks(byte[] bytes)
    {
        Assert.Equal(0xFD2FB528u, BitConverter.ToUInt32(bytes, 0));
        var descriptor = bytes[4];
        var fcsFlag = descriptor >> 6;
        var singleSegment = (descriptor & 0x20) != 0;
        Assert.True((descriptor & 0x04) != 0, "the archive's frame has no checksum");
        var position = 5 + (singleSegment ? 0 : 1) + new[] { 0, 1, 2, 4 }[descriptor & 3]
                       + (fcsFlag == 0 ? (singleSegment ? 1 : 0) : new[] { 1, 2, 4, 8 }[fcsFlag]);
        while (true)
        {
            var header = bytes[position] | bytes[position + 1] << 8 | bytes[position + 2] << 16;
            var block = new ZstdBlock(position, (ZstdBlockType)((header >> 1) & 3), header >> 3, (header & 1) != 0);
            yield return block;
            if (block.Last)
                yield break;
            position += 3 + (block.Type == ZstdBlockType.Rle ? 1 : block.Size);
        }
    }
}
