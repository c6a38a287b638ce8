using System.Formats.Tar;

namespace WpBackup.Core.Archives;

/// <summary>
/// Writes a PAX tar inside a multi-threaded zstd stream, entry by entry, straight from the
/// sources (nothing staged), hashing every regular file and the archive itself on the way.
/// </summary>
public sealed class ArchiveWriter : IDisposable
{
    private readonly HashingWriteStream _archive;
    private readonly Stream _zstd;
    private readonly TarWriter _tar;
    private bool _finished;

    public ArchiveWriter(Stream output, int compressionLevel, int workers)
    {
        _archive = new HashingWriteStream(output);
        _zstd = ZstdStreams.Compress(_archive, compressionLevel, workers);
        _tar = new TarWriter(_zstd, TarEntryFormat.Pax, leaveOpen: true);
    }

    /// <summary>Compressed bytes written so far.</summary>
    public long CompressedBytes => _archive.BytesWritten;

    public void AddDirectory(string name, UnixFileMode mode, DateTimeOffset modified) =>
        _tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, ModificationTime = modified });

    public void AddSymlink(string name, string target, UnixFileMode mode, DateTimeOffset modified) =>
        _tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = mode, ModificationTime = modified });

    /// <summary>Writes a regular file of the given length from a source stream.</summary>
    /// <returns>The SHA-256 of what was stored, and whether the source did not match the length.</returns>
    public (string Sha256, bool Changed) AddFile(
        string name, Stream source, long length, UnixFileMode mode, DateTimeOffset modified, Action<long> onBytes)
    {
        using var data = new FileEntrySource(source, length, onBytes);
        _tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data, Mode = mode, ModificationTime = modified });
        return (data.HashHex(), data.Changed);
    }

    public void AddBytes(string name, byte[] content, UnixFileMode mode, DateTimeOffset modified)
    {
        using var data = new MemoryStream(content, writable: false);
        _tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data, Mode = mode, ModificationTime = modified });
    }

    /// <summary>Ends the tar and the zstd frame; returns the archive's size and SHA-256.</summary>
    public (long Size, string Sha256) Finish()
    {
        _tar.Dispose();
        _zstd.Dispose();
        _archive.Flush();
        _finished = true;
        return (_archive.BytesWritten, _archive.HashHex());
    }

    public void Dispose()
    {
        if (!_finished)
        {
            // An abandoned archive is deleted by the caller; errors while closing it do not matter.
            try { _tar.Dispose(); } catch (Exception) { }
            try { _zstd.Dispose(); } catch (Exception) { }
        }
        _archive.Dispose();
    }
}
