using System.Formats.Tar;

namespace WpBackup.Core.Archives;

/// <summary>
/// Writes a PAX tar inside multi-threaded zstd, entry by entry, straight from the sources
/// (nothing staged), hashing every regular file and the archive itself on the way. The archive's
/// hash and the writes to the output run on a thread of their own, beside the compressor's feeding.
/// The manifest goes last, in a zstd frame of its own whose offset the sidecar records, so the
/// file list of a backup can be read without decompressing the whole archive. The dump starts a
/// frame of its own too, so a database-only restore begins reading there (see <see cref="ZstdFrames"/>).
/// </summary>
public sealed class ArchiveWriter : IDisposable
{
    private readonly HashingWriteStream _archive;
    private readonly WriteBehindStream _behind;
    private readonly SwitchableStream _frames;
    private readonly TarWriter _tar;
    private readonly int _level;
    private readonly int _workers;
    private bool _finished;

    public ArchiveWriter(Stream output, int compressionLevel, int workers)
    {
        _level = compressionLevel;
        _workers = workers;
        _archive = new HashingWriteStream(output is FileStream file ? new EarlyWritebackStream(file) : output);
        _behind = new WriteBehindStream(_archive);
        _frames = new SwitchableStream(ZstdStreams.Compress(_behind, _level, _workers));
        _tar = new TarWriter(_frames, TarEntryFormat.Pax, leaveOpen: true);
    }

    /// <summary>Compressed bytes written so far.</summary>
    public long CompressedBytes => _behind.Position;

    public void AddDirectory(string name, UnixFileMode mode, DateTimeOffset modified) =>
        _tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, ModificationTime = modified });

    public void AddSymlink(string name, string target, UnixFileMode mode, DateTimeOffset modified) =>
        _tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = mode, ModificationTime = modified });

    /// <summary>Writes a regular file of the given length from a source stream.</summary>
    /// <returns>The SHA-256 of what was stored, and whether the source did not match the length.</returns>
    public (string Sha256, bool Changed) AddFile(
        string name, Stream source, long length, UnixFileMode mode, DateTimeOffset modified, Action<long> onBytes)
    {
        if (name == ArchiveLayout.DatabaseEntry)
            _frames.Replace(ZstdStreams.Compress(_behind, _level, _workers));
        using var data = new FileEntrySource(source, length, onBytes);
        _tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data, Mode = mode, ModificationTime = modified });
        return (data.HashHex(), data.Changed);
    }

    /// <summary>Writes the manifest as the last entry, in a frame of its own, and ends the archive.</summary>
    /// <returns>The archive's size and SHA-256, and the offset of the manifest's frame.</returns>
    public (long Size, string Sha256, long ManifestOffset) Finish(byte[] manifest, UnixFileMode mode, DateTimeOffset modified)
    {
        _frames.Replace(ZstdStreams.Compress(_behind, _level, workers: 0));
        var manifestOffset = _behind.Position;
        using (var data = new MemoryStream(manifest, writable: false))
            _tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, ArchiveLayout.ManifestEntry) { DataStream = data, Mode = mode, ModificationTime = modified });
        _tar.Dispose();
        _frames.Dispose();
        _behind.Flush();
        _finished = true;
        return (_archive.BytesWritten, _archive.HashHex(), manifestOffset);
    }

    public void Dispose()
    {
        if (!_finished)
        {
            // An abandoned archive is deleted by the caller; errors while closing it do not matter.
            try { _tar.Dispose(); } catch (Exception) { }
            try { _frames.Dispose(); } catch (Exception) { }
        }
        _behind.Dispose();
        _archive.Dispose();
    }

    /// <summary>Lets the tar writer go on writing while the zstd frame beneath it is ended and a new one begun.</summary>
    private sealed class SwitchableStream(Stream current) : Stream
    {
        public void Replace(Stream next)
        {
            current.Dispose(); // ends the frame
            current = next;
        }

        public override void Write(byte[] buffer, int offset, int count) => current.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => current.Write(buffer);
        public override void Flush() => current.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                current.Dispose();
            base.Dispose(disposing);
        }
    }
}
