namespace WpBackup.Core.Crypto;

/// <summary>
/// A small read buffer in front of the ciphertext: the header is read line by line from it,
/// and whatever it read ahead is handed to the payload reader before the stream itself.
/// </summary>
internal sealed class AgeInput(Stream stream)
{
    private readonly byte[] _buffer = new byte[4096];
    private int _position;
    private int _end;

    public Stream Stream { get; } = stream;

    /// <summary>Where in a seekable stream the next byte handed out comes from (what was read ahead does not count).</summary>
    public long Position => Stream.Position - (_end - _position);

    /// <summary>Moves a seekable stream to <paramref name="position"/>, dropping what was read ahead.</summary>
    public void Seek(long position)
    {
        Stream.Seek(position, SeekOrigin.Begin);
        _position = _end = 0;
    }

    /// <summary>The buffered bytes after filling to at least <paramref name="count"/> (fewer at end of input).</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        if (count > _buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(count));
        if (_end - _position < count)
        {
            Buffer.BlockCopy(_buffer, _position, _buffer, 0, _end - _position);
            _end -= _position;
            _position = 0;
            while (_end < count)
            {
                int n = Stream.Read(_buffer, _end, _buffer.Length - _end);
                if (n == 0)
                    break;
                _end += n;
            }
        }

        return _buffer.AsSpan(_position, Math.Min(count, _end - _position));
    }

    /// <summary>Reads one byte, or -1 at end of input.</summary>
    public int ReadByte()
    {
        if (_position == _end)
        {
            _position = 0;
            _end = Stream.Read(_buffer, 0, _buffer.Length);
            if (_end == 0)
                return -1;
        }

        return _buffer[_position++];
    }

    public int Read(Span<byte> destination)
    {
        if (_position < _end)
        {
            int n = Math.Min(destination.Length, _end - _position);
            _buffer.AsSpan(_position, n).CopyTo(destination);
            _position += n;
            return n;
        }

        return Stream.Read(destination);
    }

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_position < _end)
            return Read(destination.Span);
        return await Stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads until <paramref name="destination"/> is full or the input ends; returns the count read.</summary>
    public int ReadFull(Span<byte> destination)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int n = Read(destination[total..]);
            if (n == 0)
                break;
            total += n;
        }

        return total;
    }

    public async ValueTask<int> ReadFullAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int n = await ReadAsync(destination[total..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
                break;
            total += n;
        }

        return total;
    }
}
