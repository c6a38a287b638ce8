using System.Collections.Concurrent;
using Amazon.S3.Model;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Storage;

/// <summary>
/// A write-only stream into one S3 object. Bytes fill a part buffer (<see cref="S3Settings.PartSize"/>);
/// each full part is uploaded while the next fills, with at most <see cref="S3Settings.PartsInFlight"/>
/// parts of this upload (and <see cref="S3Settings.MaxConcurrentPartUploads"/> of the store) in flight,
/// so memory stays at about PartSize × (PartsInFlight + 1). An object smaller than one part is sent
/// with a single PutObject at <see cref="Complete"/>.
/// <para>
/// The object exists only after <see cref="Complete"/> returns. Any failure, and a Dispose without
/// Complete, aborts the multipart upload so no orphan parts stay on the server; when even the
/// abort fails (the server is gone), <see cref="State"/> says so and the error names the upload id.
/// </para>
/// </summary>
public sealed class S3UploadStream : Stream
{
    private readonly S3BackupStore _store;
    private readonly S3Location _location;
    private readonly string _objectKey;
    private readonly string _contentType;
    private readonly int _partSize;
    private readonly SemaphoreSlim _inFlight;
    private readonly ConcurrentBag<byte[]> _spareBuffers = [];
    private readonly List<Task<PartETag>> _parts = [];
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _cancel;
    private byte[]? _current;
    private int _filled;
    private long _length;
    private int _partsStarted;
    private int _partsUploaded;
    private int _buffersAllocated;
    private Exception? _partFailure;
    private WpBackupException? _thrown;
    private string? _uploadId;
    private readonly IDisposable _turn;
    private bool _closedOnServer;

    internal S3UploadStream(S3BackupStore store, string key, string contentType, CancellationToken cancel)
    {
        _store = store;
        _location = store.Location;
        Key = key;
        _objectKey = _location.ObjectKey(key);
        _contentType = contentType;
        _partSize = checked((int)_location.Settings.PartSize);
        _inFlight = new SemaphoreSlim(_location.Settings.PartsInFlight);
        _cancel = cancel;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        // Taken before any byte is accepted, so a caller waits here rather than holding a half-sent upload.
        _turn = store.Throttle.EnterUpload(cancel);
    }

    /// <summary>The key, relative to the location's prefix.</summary>
    public string Key { get; }

    /// <summary>The multipart upload's id once the first part has filled; null while everything fits in one part.</summary>
    public string? UploadId => _uploadId;

    public S3UploadState State { get; private set; } = S3UploadState.Open;

    /// <summary>Why the abort failed, when <see cref="State"/> is <see cref="S3UploadState.AbortFailed"/>.</summary>
    public WpBackupException? AbortFailure { get; private set; }

    /// <summary>Parts the server has acknowledged so far.</summary>
    public int PartsUploaded => Volatile.Read(ref _partsUploaded);

    /// <summary>Part buffers this upload has allocated (they are reused): the measure of its memory.</summary>
    internal int BuffersAllocated => _buffersAllocated;

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => State == S3UploadState.Open;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        EnsureOpen();
        try
        {
            while (!data.IsEmpty)
            {
                _current ??= RentBuffer();
                var n = Math.Min(data.Length, _partSize - _filled);
                _store.Limiter?.Take(n, _stop.Token);
                data[..n].CopyTo(_current.AsSpan(_filled));
                _filled += n;
                _length += n;
                data = data[n..];
                if (_filled == _partSize)
                    StartPart();
            }
        }
        catch (Exception e)
        {
            throw Fail(e);
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
        // Parts go out as they fill; a partial part is only sent by Complete.
    }

    /// <summary>Sends what is left and makes the object: the only way an upload becomes an object.</summary>
    public S3UploadResult Complete()
    {
        EnsureOpen();
        try
        {
            S3UploadResult result;
            if (_uploadId is null)
            {
                result = PutWhole();
            }
            else
            {
                if (_filled > 0)
                    StartPart();
                var parts = Task.WhenAll(_parts).GetAwaiter().GetResult();
                var completed = S3Calls.Run(_location, "Completing the upload of", Key, ct => _store.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = _location.Bucket,
                    Key = _objectKey,
                    UploadId = _uploadId,
                    PartETags = [.. parts.OrderBy(p => p.PartNumber)],
                }, ct), _stop.Token);
                result = new S3UploadResult(Key, _length, completed.ETag ?? "", parts.Length);
            }
            State = S3UploadState.Completed;
            EndTurn();
            ReleaseBuffers();
            if (_location.Settings.VerifyUploads)
            {
                try
                {
                    _store.VerifyStoredSize(Key, _length);
                }
                catch (WpBackupException e) when (e.ErrorId == "S3UploadCorrupt")
                {
                    State = S3UploadState.Aborted; // the wrong object was deleted
                    throw;
                }
            }
            return result;
        }
        catch (Exception e) when (State == S3UploadState.Open)
        {
            throw Fail(e);
        }
    }

    /// <summary>Gives the upload up: no object is made and the multipart upload is aborted. Dispose does this too.</summary>
    public void Abort()
    {
        if (State != S3UploadState.Open)
            return;
        _stop.Cancel();
        try
        {
            Task.WaitAll([.. _parts]);
        }
        catch (AggregateException)
        {
            // the parts' failures are either the cause being reported or the result of stopping them
        }
        if (_uploadId is null)
        {
            State = S3UploadState.Aborted;
        }
        else
        {
            try
            {
                _store.AbortUpload(Key, _uploadId);
                State = S3UploadState.Aborted;
            }
            catch (WpBackupException e)
            {
                AbortFailure = e;
                State = S3UploadState.AbortFailed;
            }
        }
        EndTurn();
        ReleaseBuffers();
    }

    /// <summary>Gives the destination's upload slot back and counts the multipart upload as closed (once).</summary>
    private void EndTurn()
    {
        if (_uploadId is not null && !_closedOnServer)
        {
            _closedOnServer = true;
            MultipartUploadGauge.Closed(_location);
        }
        _turn.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Abort();
            _stop.Dispose();
            _inFlight.Dispose();
        }
        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void EnsureOpen()
    {
        if (_thrown is not null)
            throw _thrown;
        if (State != S3UploadState.Open)
            throw new InvalidOperationException($"The upload of {_location.UrlOf(Key)} is {State.ToString().ToLowerInvariant()}; no more bytes can be written.");
    }

    private void StartPart()
    {
        if (_uploadId is null)
        {
            _uploadId = S3Calls.Run(_location, "Starting the upload of", Key, ct => _store.Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
            {
                BucketName = _location.Bucket,
                Key = _objectKey,
                ContentType = _contentType,
            }, ct), _cancel).UploadId;
            MultipartUploadGauge.Opened(_location);
        }

        _inFlight.Wait(_stop.Token);
        try
        {
            _store.PartSlots.Wait(_stop.Token);
        }
        catch
        {
            _inFlight.Release();
            throw;
        }
        var buffer = _current!;
        var length = _filled;
        var number = ++_partsStarted;
        _current = null;
        _filled = 0;
        _parts.Add(Task.Run(() => UploadPart(buffer, length, number)));
    }

    private async Task<PartETag> UploadPart(byte[] buffer, int length, int number)
    {
        try
        {
            var md5 = UploadCheck.Md5(buffer.AsSpan(0, length));
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            var response = await _store.Client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = _location.Bucket,
                Key = _objectKey,
                UploadId = _uploadId,
                PartNumber = number,
                PartSize = length,
                InputStream = body,
                MD5Digest = Convert.ToBase64String(md5),
                UseChunkEncoding = _location.Settings.ChunkEncoding,
            }, _stop.Token).ConfigureAwait(false);
            if (_location.Settings.VerifyUploads &&
                UploadCheck.ETagMismatch(response.ETag, md5, response.ServerSideEncryptionMethod, customerEncryption: null) is { } mismatch)
                throw new TransportException("S3UploadCorrupt",
                    $"Part {number} of {_location.UrlOf(Key)} was stored wrong: {mismatch}. " +
                    "If the service mangles aws-chunked bodies, leave chunk encoding off.");
            Interlocked.Increment(ref _partsUploaded);
            return new PartETag(number, response.ETag);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _partFailure, e, null);
            try { _stop.Cancel(); } catch (ObjectDisposedException) { }
            throw;
        }
        finally
        {
            _spareBuffers.Add(buffer);
            _store.PartSlots.Release();
            _inFlight.Release();
        }
    }

    private S3UploadResult PutWhole()
    {
        var length = _filled;
        var buffer = _current ?? [];
        var response = _store.PutObject(Key, buffer.AsMemory(0, length), _contentType, limit: false, _cancel);
        return new S3UploadResult(Key, _length, response.ETag ?? "", 0);
    }

    /// <summary>
    /// Aborts and builds the exception to throw: the first part failure wins over the stop it
    /// caused; a cancellation the caller asked for stays a cancellation.
    /// </summary>
    private Exception Fail(Exception cause)
    {
        if (_thrown is not null)
            return _thrown;
        var root = S3Errors.Unwrap(cause);
        if (root is OperationCanceledException && _partFailure is not null)
            root = S3Errors.Unwrap(_partFailure);
        Abort();
        if (root is OperationCanceledException && _cancel.IsCancellationRequested)
            return root;
        var url = _location.UrlOf(Key);
        var mapped = root as WpBackupException ?? S3Errors.Map(root, _location, "Uploading", Key);
        var cleanup = State == S3UploadState.Aborted
            ? _uploadId is null ? "Nothing was stored." : "The multipart upload was aborted; nothing was stored."
            : S3LeftoverUpload.Advice(_location, Key, _uploadId!, AbortFailure!);
        // Refusals the user can fix keep their own ErrorIds; everything else is an interrupted upload.
        _thrown = mapped.ErrorId switch
        {
            "S3AccessDenied" or "S3BucketNotFound" or "S3CredentialsMissing" =>
                new DestinationException(mapped.ErrorId, mapped.Message + " " + cleanup, mapped) { Target = url },
            "S3UploadCorrupt" => new TransportException(mapped.ErrorId, mapped.Message + " " + cleanup, mapped) { Target = url },
            _ => new TransportException("S3UploadFailed",
                $"Uploading {url} failed after {_length:N0} bytes ({PartsUploaded} parts stored): {mapped.Message} {cleanup}", mapped) { Target = url },
        };
        return _thrown;
    }

    private byte[] RentBuffer()
    {
        if (_spareBuffers.TryTake(out var buffer))
            return buffer;
        _buffersAllocated++;
        return new byte[_partSize];
    }

    private void ReleaseBuffers()
    {
        _current = null;
        _spareBuffers.Clear();
    }
}
