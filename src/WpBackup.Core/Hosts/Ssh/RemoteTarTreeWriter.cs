using System.Formats.Tar;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// Restores checked entries on a server by streaming a tar into the server's own
/// <c>tar -x</c> inside the staging folder. Names were proven safe on this side first.
/// </summary>
internal sealed class RemoteTarTreeWriter : ISiteTreeWriter, IDisposable
{
    private readonly SshHost _host;
    private readonly string _staging;
    private readonly HostProcess _tar;
    private readonly TarWriter _writer;
    private bool _completed;

    public RemoteTarTreeWriter(SshHost host, string staging)
    {
        _host = host;
        _staging = staging;
        _tar = host.Start("sh", ["-c", RemoteScripts.Extract, "sh", staging], $"tar (extracting the restored files into '{staging}')");
        _writer = new TarWriter(new BufferedStream(_tar.StandardInput, 1 << 16), TarEntryFormat.Pax, leaveOpen: false);
    }

    public void Directory(string relative, UnixFileMode mode, DateTimeOffset modified) =>
        Send(new PaxTarEntry(TarEntryType.Directory, Name(relative)) { Mode = mode, ModificationTime = modified });

    public void Symlink(string relative, string target) =>
        Send(new PaxTarEntry(TarEntryType.SymbolicLink, Name(relative)) { LinkName = target });

    public void File(string relative, Stream data, long size, UnixFileMode mode, DateTimeOffset modified) =>
        Send(new PaxTarEntry(TarEntryType.RegularFile, Name(relative)) { DataStream = new FixedLengthStream(data, size), Mode = mode, ModificationTime = modified });

    public void HardLink(string relative, string existingRelative) =>
        Send(new PaxTarEntry(TarEntryType.HardLink, Name(relative)) { LinkName = Name(existingRelative) });

    public void Complete()
    {
        _completed = true;
        try
        {
            _writer.Dispose();
        }
        catch (Exception e) when (e is IOException or Renci.SshNet.Common.SshException)
        {
            // tar -x ended early; its exit status below says why.
        }
        var (exit, error) = _tar.WaitForExit();
        if (exit != 0)
            throw new TransportException("RemoteExtractFailed", $"tar on {_host.Target} could not write the files into '{_staging}' (exit {exit}): {error.Trim()}");
    }

    public void Dispose()
    {
        if (!_completed)
            _tar.Kill();
        _tar.Dispose();
    }

    private void Send(PaxTarEntry entry)
    {
        try
        {
            _writer.WriteEntry(entry);
        }
        catch (Exception e) when (e is IOException or Renci.SshNet.Common.SshException or ObjectDisposedException)
        {
            _tar.Kill();
            throw new TransportException("RemoteExtractFailed", $"Streaming files to tar on {_host.Target} broke off at '{entry.Name}': {e.Message}", e);
        }
    }

    private static string Name(string relative) => relative.Length == 0 ? "./" : "./" + relative;

    /// <summary>Gives the tar writer the length it must write in the header before the data.</summary>
    private sealed class FixedLengthStream(Stream inner, long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set { if (value != _position) throw new NotSupportedException(); } }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, (int)Math.Min(count, length - _position));
            _position += read;
            return read;
        }
        public override long Seek(long offset, SeekOrigin origin) => origin == SeekOrigin.Current && offset == 0 ? _position : throw new NotSupportedException();
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
