using System.Buffers;
using System.Reflection;
using Renci.SshNet;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// A command's standard output that holds at most <see cref="Capacity"/> bytes not yet read.
/// SSH.NET opens every channel with a 2 GiB window and keeps what arrives until it is read, so a
/// server that sends faster than a backup consumes (zstd, SHA-256, the disk) filled memory with up
/// to 2 GiB per command. Here SSH.NET's receiving thread waits in <see cref="Write(ReadOnlySpan{byte})"/>
/// while the buffer is full: TCP backs up and the server's tar waits, and memory stays bounded.
/// </summary>
/// <remarks>
/// That thread serves every channel of the connection, so whoever holds this stream reads it
/// while it writes to the command, or <see cref="Abandon"/>s it: once abandoned, what arrives is
/// dropped. SSH.NET disposes the stream when the command ends; what is buffered can still be read.
/// </remarks>
internal sealed class BoundedPipeStream : Stream
{
    public const int Capacity = 4 << 20;

    private static readonly MethodInfo OutputSetter = typeof(SshCommand).GetProperty(nameof(SshCommand.OutputStream))?.GetSetMethod(nonPublic: true)
        ?? throw new InvalidOperationException("This SSH.NET has no OutputStream setter on SshCommand; bounded command output needs one.");

    private readonly object _sync = new();
    private readonly Queue<(byte[] Buffer, int Length)> _chunks = new();
    private int _headOffset;
    private long _buffered;
    private bool _writerDone;
    private bool _abandoned;

    /// <summary>Puts a bounded pipe in place of the command's output; call before the command starts.</summary>
    public static BoundedPipeStream ReplaceOutput(SshCommand command)
    {
        var original = command.OutputStream;
        var pipe = new BoundedPipeStream();
        OutputSetter.Invoke(command, [pipe]);
        original.Dispose();
        return pipe;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
            return;
        lock (_sync)
        {
            while (_buffered >= Capacity && !_abandoned && !_writerDone)
                Monitor.Wait(_sync);
            if (_abandoned || _writerDone)
                return;
            var chunk = ArrayPool<byte>.Shared.Rent(buffer.Length);
            buffer.CopyTo(chunk);
            _chunks.Enqueue((chunk, buffer.Length));
            _buffered += buffer.Length;
            Monitor.PulseAll(_sync);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        lock (_sync)
        {
            while (_buffered == 0 && !_writerDone && !_abandoned)
                Monitor.Wait(_sync);
            var copied = 0;
            while (copied < buffer.Length && _chunks.TryPeek(out var head))
            {
                var take = Math.Min(head.Length - _headOffset, buffer.Length - copied);
                head.Buffer.AsSpan(_headOffset, take).CopyTo(buffer[copied..]);
                copied += take;
                _headOffset += take;
                if (_headOffset == head.Length)
                {
                    ArrayPool<byte>.Shared.Return(_chunks.Dequeue().Buffer);
                    _headOffset = 0;
                }
            }
            _buffered -= copied;
            Monitor.PulseAll(_sync);
            return copied;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>The reader is done: drops what is buffered and what still arrives, so the receiving thread never waits on it.</summary>
    public void Abandon()
    {
        lock (_sync)
        {
            _abandoned = true;
            while (_chunks.TryDequeue(out var chunk))
                ArrayPool<byte>.Shared.Return(chunk.Buffer);
            _headOffset = 0;
            _buffered = 0;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>SSH.NET's end of the pipe: no more writes; reads return what is left, then 0.</summary>
    protected override void Dispose(bool disposing)
    {
        lock (_sync)
        {
            _writerDone = true;
            Monitor.PulseAll(_sync);
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length
    {
        get { lock (_sync) return _buffered; }
    }
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
