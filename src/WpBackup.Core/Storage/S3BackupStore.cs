using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Storage;

/// <summary>
/// Backups in an S3-compatible bucket: streamed multipart uploads with bounded memory, small
/// single-request puts (sidecars), streaming reads, listing, deletion. Keys are relative to the
/// location's prefix (see <see cref="BackupKeys"/> for the layout). Failures are the engine's
/// exceptions with stable ErrorIds (see <see cref="S3Errors"/>). One store is safe to use from
/// several threads; its part-upload slots and bandwidth limit are shared by all its uploads (and
/// by other stores whose settings carry the same <see cref="S3Throttle"/>).
/// </summary>
public sealed class S3BackupStore : IDisposable
{
    private readonly AmazonS3Client _client;

    public S3BackupStore(S3Location location)
    {
        Location = location;
        _client = S3ClientFactory.Create(location);
        Throttle = location.Settings.Throttle ?? new S3Throttle(location.Settings);
    }

    public S3Location Location { get; }

    internal IAmazonS3 Client => _client;

    /// <summary>Bandwidth and slots, shared with the destination's other stores when the settings carry a throttle.</summary>
    internal S3Throttle Throttle { get; }

    internal SemaphoreSlim PartSlots => Throttle.PartSlots;

    internal BandwidthLimiter? Limiter => Throttle.Limiter;

    /// <summary>
    /// A write-only stream whose bytes become the object <paramref name="key"/> once
    /// <see cref="S3UploadStream.Complete"/> is called; disposing it without that aborts the upload.
    /// </summary>
    public S3UploadStream OpenUpload(string key, string contentType = "application/octet-stream", CancellationToken cancel = default)
    {
        CheckKey(key);
        return new S3UploadStream(this, key, contentType, cancel);
    }

    /// <summary>Stores a small object (a sidecar) with one PutObject; it exists, whole, once this returns.</summary>
    public S3UploadResult PutSmall(string key, ReadOnlyMemory<byte> content, string contentType = "application/json", CancellationToken cancel = default)
    {
        CheckKey(key);
        var response = PutObject(key, content, contentType, limit: true, cancel);
        if (Location.Settings.VerifyUploads)
            VerifyStoredSize(key, content.Length);
        return new S3UploadResult(key, content.Length, response.ETag ?? "", 0);
    }

    /// <summary>A forward-only stream of the object's bytes, with its length. Missing: S3ObjectNotFound.</summary>
    public S3ReadStream OpenRead(string key, CancellationToken cancel = default)
    {
        CheckKey(key);
        var response = S3Calls.Run(Location, "Reading", key, ct => _client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = Location.Bucket,
            Key = Location.ObjectKey(key),
        }, ct), cancel);
        return new S3ReadStream(response, Location, key);
    }

    /// <summary>A forward-only stream of bytes <paramref name="from"/> to <paramref name="to"/> (inclusive) of the object: one ranged GetObject.</summary>
    public S3ReadStream OpenRange(string key, long from, long to, CancellationToken cancel = default)
    {
        CheckKey(key);
        var response = S3Calls.Run(Location, "Reading", key, ct => _client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = Location.Bucket,
            Key = Location.ObjectKey(key),
            ByteRange = new ByteRange(from, to),
        }, ct), cancel);
        return new S3ReadStream(response, Location, key);
    }

    /// <summary>Every object whose key (relative to the location's prefix) starts with <paramref name="prefix"/>, in key order, all pages.</summary>
    public IReadOnlyList<S3ObjectInfo> List(string prefix = "", CancellationToken cancel = default)
    {
        var objects = new List<S3ObjectInfo>();
        var request = new ListObjectsV2Request
        {
            BucketName = Location.Bucket,
            Prefix = Location.ObjectKey(prefix),
            MaxKeys = Location.Settings.ListPageSize,
        };
        while (true)
        {
            var page = S3Calls.Run(Location, "Listing", prefix, ct => _client.ListObjectsV2Async(request, ct), cancel);
            foreach (var o in page.S3Objects ?? [])
                objects.Add(new S3ObjectInfo(Location.RelativeKey(o.Key), o.Size ?? 0, Utc(o.LastModified), o.ETag));
            if (page.IsTruncated != true)
                return objects;
            if (string.IsNullOrEmpty(page.NextContinuationToken) || page.NextContinuationToken == request.ContinuationToken)
                throw new DestinationException("S3RequestFailed",
                    $"Listing {Location.UrlOf(prefix)} failed{S3Errors.Where(Location)}: the server said the list goes on but gave no new continuation token.");
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>Deletes the object; deleting a missing one is no error (S3's own rule).</summary>
    public void Delete(string key, CancellationToken cancel = default)
    {
        CheckKey(key);
        S3Calls.Run(Location, "Deleting", key, ct => _client.DeleteObjectAsync(new DeleteObjectRequest
        {
            BucketName = Location.Bucket,
            Key = Location.ObjectKey(key),
        }, ct), cancel);
    }

    /// <summary>Whether the object exists. A missing bucket is S3BucketNotFound, not false.</summary>
    public bool Exists(string key, CancellationToken cancel = default)
    {
        CheckKey(key);
        try
        {
            S3Calls.Run(Location, "Looking up", key, ct => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest
            {
                BucketName = Location.Bucket,
                Key = Location.ObjectKey(key),
            }, ct), cancel);
            return true;
        }
        catch (BackupNotFoundException e) when (e.ErrorId == "S3ObjectNotFound")
        {
            // A HEAD answer has no body, so "no such bucket" looks like "no such key": ask once more.
            Check(cancel);
            return false;
        }
    }

    /// <summary>One cheap request that fails as the real work would: unreachable, refused credentials, missing bucket.</summary>
    public void Check(CancellationToken cancel = default)
    {
        S3Calls.Run(Location, "Checking", null, ct => _client.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = Location.Bucket,
            Prefix = Location.ObjectKey(""),
            MaxKeys = 1,
        }, ct), cancel);
    }

    /// <summary>Aborts a multipart upload, so the server drops its parts (for uploads left by a crash).</summary>
    public void AbortUpload(string key, string uploadId, CancellationToken cancel = default)
    {
        CheckKey(key);
        S3Calls.Run(Location, $"Aborting multipart upload {uploadId} of", key, ct => _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
        {
            BucketName = Location.Bucket,
            Key = Location.ObjectKey(key),
            UploadId = uploadId,
        }, ct), cancel);
    }

    /// <summary>Multipart uploads under <paramref name="prefix"/> that were neither completed nor aborted, all pages.</summary>
    public IReadOnlyList<S3IncompleteUpload> ListIncompleteUploads(string prefix = "", CancellationToken cancel = default)
    {
        var uploads = new List<S3IncompleteUpload>();
        var request = new ListMultipartUploadsRequest
        {
            BucketName = Location.Bucket,
            Prefix = Location.ObjectKey(prefix),
            MaxUploads = Location.Settings.ListPageSize,
        };
        while (true)
        {
            var page = S3Calls.Run(Location, "Listing incomplete uploads under", prefix, ct => _client.ListMultipartUploadsAsync(request, ct), cancel);
            foreach (var u in page.MultipartUploads ?? [])
                uploads.Add(new S3IncompleteUpload(Location.RelativeKey(u.Key), u.UploadId, Utc(u.Initiated)));
            if (page.IsTruncated != true)
                return uploads;
            if (page.NextKeyMarker == request.KeyMarker && page.NextUploadIdMarker == request.UploadIdMarker)
                throw new DestinationException("S3RequestFailed",
                    $"Listing incomplete uploads under {Location.UrlOf(prefix)} failed{S3Errors.Where(Location)}: the server said the list goes on but gave no new marker.");
            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    public void Dispose()
    {
        _client.Dispose();
    }

    internal PutObjectResponse PutObject(string key, ReadOnlyMemory<byte> content, string contentType, bool limit, CancellationToken cancel)
    {
        if (limit)
            Limiter?.Take(content.Length, cancel);
        var md5 = UploadCheck.Md5(content.Span);
        var response = S3Calls.Run(Location, "Uploading", key, ct =>
        {
            var body = new ReadOnlyMemoryStream(content);
            return _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Location.Bucket,
                Key = Location.ObjectKey(key),
                InputStream = body,
                ContentType = contentType,
                MD5Digest = Convert.ToBase64String(md5),
                UseChunkEncoding = Location.Settings.ChunkEncoding,
            }, ct);
        }, cancel);
        if (Location.Settings.VerifyUploads &&
            UploadCheck.ETagMismatch(response.ETag, md5, response.ServerSideEncryptionMethod, response.ServerSideEncryptionCustomerMethod?.Value) is { } mismatch)
            throw Corrupt(key, mismatch);
        return response;
    }

    /// <summary>After an upload: the stored object must have the size sent; a wrong one is deleted and reported.</summary>
    internal void VerifyStoredSize(string key, long expected)
    {
        var metadata = S3Calls.Run(Location, "Checking the upload of", key, ct => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest
        {
            BucketName = Location.Bucket,
            Key = Location.ObjectKey(key),
        }, ct));
        if (metadata.ContentLength != expected)
            throw Corrupt(key, $"the server stored {metadata.ContentLength:N0} bytes for the {expected:N0} sent");
    }

    private TransportException Corrupt(string key, string mismatch)
    {
        var removed = "The wrong object was deleted.";
        try
        {
            Delete(key);
        }
        catch (WpBackupException e)
        {
            removed = $"Deleting the wrong object failed too ({e.Message}).";
        }
        return new TransportException("S3UploadCorrupt",
            $"Uploading {Location.UrlOf(key)} went wrong{S3Errors.Where(Location)}: {mismatch}. {removed} " +
            "If the service mangles aws-chunked bodies, leave chunk encoding off.") { Target = Location.UrlOf(key) };
    }

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(t).ToUniversalTime() : null;

    private static void CheckKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.StartsWith('/'))
            throw new WpBackupException(FailureKind.InvalidArgument, "S3KeyInvalid",
                $"'{key}' is not a key relative to the location's prefix (non-empty, no leading '/').");
    }

    /// <summary>A seekable read-only stream over memory, so the SDK can hash it and rewind for retries.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => memory.Length;

        public override long Position
        {
            get => _position;
            set => _position = (int)Math.Clamp(value, 0, memory.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => memory.Length + offset,
            };
            return _position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
