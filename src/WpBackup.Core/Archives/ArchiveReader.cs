using System.Formats.Tar;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Archives;

/// <summary>
/// Reads a backup archive's entries in order. Any damage — a bad zstd frame or checksum, a
/// truncated stream, a broken tar header — becomes an <see cref="ArchiveException"/> naming the archive.
/// </summary>
public sealed class ArchiveReader : IDisposable
{
    private readonly Stream _file;
    private readonly CountingReadStream _zstd;
    private readonly TarReader _tar;

    /// <param name="offset">Where to start reading: the start of a zstd frame (0 for the whole archive).</param>
    public ArchiveReader(string path, long offset = 0) : this(path, OpenFile(path, offset))
    {
    }

    /// <summary>Reads an archive from a stream over its compressed bytes (e.g. one that hashes them on the way); disposed with the reader.</summary>
    public ArchiveReader(string path, Stream compressed)
    {
        Path = path;
        _file = compressed;
        _zstd = new CountingReadStream(ZstdStreams.Decompress(_file));
        _tar = new TarReader(_zstd, leaveOpen: true);
    }

    /// <summary>Opens an archive file for reading; a file that cannot be opened is an ArchiveUnreadable failure.</summary>
    public static FileStream OpenFile(string path, long offset = 0)
    {
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (offset > 0)
                file.Seek(offset, SeekOrigin.Begin);
            return file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveException("ArchiveUnreadable", $"Cannot open the archive '{path}': {e.Message}", e);
        }
    }

    public string Path { get; }

    /// <summary>Compressed bytes consumed so far and in all, for progress.</summary>
    public long Position => _file.Position;
    public long Length => _file.Length;

    /// <summary>Uncompressed bytes (tar headers and entry data) decompressed so far.</summary>
    public long BytesDecompressed => _zstd.BytesRead;

    /// <summary>The next entry, or null at the archive's proper end.</summary>
    public TarEntry? Next() => Guard(() => _tar.GetNextEntry(copyData: false) ?? ReadToEnd());

    /// <summary>
    /// The tar ends before the zstd stream does: the frame's checksum (and anything after it)
    /// comes last, so it is read too, or a damaged checksum or a truncated end would go unnoticed.
    /// </summary>
    private TarEntry? ReadToEnd()
    {
        var buffer = new byte[1 << 14];
        while (_zstd.Read(buffer, 0, buffer.Length) > 0) { }
        return null;
    }

    /// <summary>Runs a read of entry data, turning decompression or format errors into ArchiveException.</summary>
    public T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ZstdSharp.ZstdException
                                       or IOException and not FileNotFoundException)
        {
            throw Damaged(e.Message, e);
        }
    }

    public ArchiveException Damaged(string detail, Exception? inner = null) =>
        new("ArchiveCorrupt", $"The archive '{Path}' is damaged or truncated: {detail}", inner);

    /// <summary>
    /// Returns the manifest stored last in the archive: straight from its own frame when the
    /// sidecar says where that starts, else by reading the whole archive.
    /// </summary>
    public static BackupManifest ReadManifest(string path, long? manifestOffset = null, Crypto.BackupDecryption? keys = null)
    {
        if (ArchiveLayout.IsEncryptedName(path))
        {
            using var reader = new ArchiveReader(path, ArchiveSource.Open(path, keys));
            var manifest = ReadManifestFrom(reader);
            manifest.Encrypted = true;
            return manifest;
        }
        if (manifestOffset is long offset && offset > 0)
        {
            try
            {
                return ReadManifestFrom(path, offset);
            }
            catch (ArchiveException)
            {
                // The offset does not lead to a manifest: fall back to reading everything.
            }
        }
        return ReadManifestFrom(path, 0);
    }

    private static BackupManifest ReadManifestFrom(string path, long offset)
    {
        using var reader = new ArchiveReader(path, offset);
        return ReadManifestFrom(reader);
    }

    internal static BackupManifest ReadManifestFrom(ArchiveReader reader)
    {
        BackupManifest? manifest = null;
        while (reader.Next() is { } entry)
        {
            if (entry.Name == ArchiveLayout.ManifestEntry && entry.DataStream is { } data)
                manifest = reader.Guard(() =>
                {
                    using var buffer = new MemoryStream();
                    data.CopyTo(buffer);
                    return BackupManifest.FromJson(buffer.ToArray());
                });
        }
        return manifest ?? throw reader.Damaged($"it has no {ArchiveLayout.ManifestEntry}; it is not a whole WpBackup archive");
    }

    public void Dispose()
    {
        _tar.Dispose();
        _zstd.Dispose();
        _file.Dispose();
    }
}
