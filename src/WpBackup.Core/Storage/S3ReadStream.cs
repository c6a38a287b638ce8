using Amazon.S3.Model;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Storage;

/// <summary>
/// A forward-only read of one object, straight from the GetObject response (nothing buffered
/// beyond the network's own). <see cref="Length"/> is the object's size; a connection that ends
/// early is an error (S3ReadFailed), not a short read.
/// </summary>
public sealed class S3ReadStream : Stream
{
    private readonly GetObjectResponse _response;
    private readonly Stream _body;
    private readonly S3Location _location;
    private long _position;

    internal S3ReadStream(GetObjectResponse response, S3Location location, string key)
    {
        _response = response;
        _body = response.ResponseStream;
        _location = location;
        Key = key;
        Length = response.ContentLength;
    }

    /// <summary>The key, relative to the location's prefix.</summary>
    public string Key { get; }

    public string? ETag => _response.ETag;

    public DateTimeOffset? LastModified => _response.LastModified is { } modified ? new DateTimeOffset(modified).ToUniversalTime() : null;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = _body.Read(buffer);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
        {
            throw Interrupted(e.Message, e);
        }
        Advance(n, buffer.Length);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        try
        {
            n = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Interrupted(e.Message, e);
        }
        Advance(n, buffer.Length);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _response.Dispose();
        base.Dispose(disposing);
    }

    private void Advance(int read, int asked)
    {
        _position += read;
        if (read == 0 && asked > 0 && _position < Length)
            throw Interrupted($"the body ended after {_position:N0} of {Length:N0} bytes", null);
    }

    private TransportException Interrupted(string why, Exception? inner) =>
        new("S3ReadFailed", $"Reading {_location.UrlOf(Key)} broke off after {_position:N0} of {Length:N0} bytes{S3Errors.Where(_location)}: {why}", inner)
        { Target = _location.UrlOf(Key) };
}
