using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace WpBackup.Core.Archives;

/// <summary>
/// Collects writes into blocks that a thread of its own passes on to the inner stream, so the
/// thread feeding the compressor does not wait for what lies beneath (the archive's SHA-256, write
/// system calls). At most <see cref="Depth"/> blocks wait; a failure of the inner stream is rethrown,
/// with its own type, by the next Write or Flush. Flush returns once every byte reached the inner stream.
/// The inner stream is left open.
/// </summary>
internal sealed class WriteBehindStream : Stream
{
    private const int BlockSize = 1 << 20;
    private const int Depth = 8;

    private readonly Stream _inner;
    private readonly BlockingCollection<(byte[] Block, int Length)> _queue = new(Depth);
    private readonly Thread _thread;
    private readonly object _sync = new();
    private byte[]? _block;
    private int _filled;
    private long _submitted;
    private long _completed;
    private long _accepted;
    private volatile ExceptionDispatchInfo? _failure;

    public WriteBehindStream(Stream inner)
    {
        _inner = inner;
        _thread = new Thread(WriteBlocks) { IsBackground = true, Name = "WpBackup archive writer" };
        _thread.Start();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _failure?.Throw();
        _accepted += buffer.Length;
        while (buffer.Length > 0)
        {
            _block ??= ArrayPool<byte>.Shared.Rent(BlockSize);
            var take = Math.Min(buffer.Length, BlockSize - _filled);
            buffer[..take].CopyTo(_block.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == BlockSize)
                Submit();
        }
    }

    /// <summary>Waits until everything written so far has reached the inner stream, then flushes it.</summary>
    public override void Flush()
    {
        Submit();
        lock (_sync)
            while (_completed < _submitted)
                Monitor.Wait(_sync);
        _failure?.Throw();
        _inner.Flush();
    }

    private void Submit()
    {
        if (_block is null || _filled == 0)
            return;
        _submitted++;
        _queue.Add((_block, _filled));
        _block = null;
        _filled = 0;
    }

    private void WriteBlocks()
    {
        foreach (var (block, length) in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (_failure is null)
                    _inner.Write(block, 0, length);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(block);
                lock (_sync)
                {
                    _completed++;
                    Monitor.PulseAll(_sync);
                }
            }
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _accepted;
    public override long Position { get => _accepted; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Stops the thread after the blocks already handed over; what was not flushed may be lost.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
            _thread.Join();
            _queue.Dispose();
            if (_block is not null)
                ArrayPool<byte>.Shared.Return(_block);
            _block = null;
        }
        base.Dispose(disposing);
    }
}
