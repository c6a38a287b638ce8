using System.Text;
using WpBackup.Core.Storage;

namespace WpBackup.Tests.S3;

[Collection("s3")]
public sealed class S3RoundTripTests(S3Fixture s3)
{
    [Fact]
    public void A_50_MB_stream_uploads_in_parts_and_reads_back_identical_with_MinIO_and_with_OpenRead()
    {
        const long size = 50_000_000;
        var location = s3.NewLocation();
        using var store = new S3BackupStore(location);
        var key = BackupKeys.Archive("example.com", "2026-11-22_10-00-00");

        string written;
        S3UploadResult result;
        using (var upload = store.OpenUpload(key, "application/zstd"))
        {
            written = S3TestData.WriteRandom(upload, size, seed: 50);
            Assert.NotNull(upload.UploadId); // more than one part: a multipart upload
            result = upload.Complete();
            Assert.Equal(S3UploadState.Completed, upload.State);
            Assert.InRange(upload.BuffersAllocated, 1, 2 + 1); // bounded memory: at most PartsInFlight + 1 part buffers
        }

        Assert.Equal(size, result.Size);
        Assert.Equal(3, result.Parts); // 2 × 16 MiB + the rest
        Assert.NotEmpty(result.ETag); // s3rver's is the whole object's MD5, AWS's "MD5OfPartMD5s-3"

        var minio = S3TestData.HashWithMinio(s3.Minio(), S3Fixture.Bucket, location.ObjectKey(key));
        Assert.Equal((written, size), minio);

        using var read = store.OpenRead(key);
        Assert.Equal(size, read.Length);
        Assert.Equal((written, size), S3TestData.Hash(read));
    }

    [Fact]
    public void A_small_upload_is_one_PutObject_and_the_prefix_is_part_of_the_stored_key()
    {
        var location = s3.NewLocation(prefix: "nested/prefix-" + Guid.NewGuid().ToString("N")[..6] + "/");
        using var store = new S3BackupStore(location);
        var key = BackupKeys.Archive("small.example", "2026-11-22_10-00-00");
        S3UploadResult result;
        string written;
        using (var upload = store.OpenUpload(key))
        {
            written = S3TestData.WriteRandom(upload, 300_000, seed: 3);
            result = upload.Complete();
            Assert.Null(upload.UploadId);
        }
        Assert.Equal(0, result.Parts);
        Assert.Equal(300_000, result.Size);
        Assert.StartsWith("nested/prefix-", location.Prefix);
        Assert.False(location.Prefix.EndsWith('/'));
        Assert.Equal($"{location.Prefix}/small.example/2026-11-22_10-00-00.tar.zst", location.ObjectKey(key));
        Assert.Equal((written, 300_000L), S3TestData.HashWithMinio(s3.Minio(), S3Fixture.Bucket, location.ObjectKey(key)));
    }

    [Fact]
    public void An_empty_upload_makes_an_empty_object()
    {
        using var store = new S3BackupStore(s3.NewLocation());
        using (var upload = store.OpenUpload("empty/nothing.bin"))
            Assert.Equal(0, upload.Complete().Size);
        using var read = store.OpenRead("empty/nothing.bin");
        Assert.Equal(0, read.Length);
        Assert.Equal(0, S3TestData.Hash(read).Length);
    }

    [Fact]
    public void Small_put_list_read_exists_and_delete()
    {
        var location = s3.NewLocation();
        using var store = new S3BackupStore(location);
        var sidecar = BackupKeys.Sidecar("blog.example", "2026-11-22_10-00-00");
        var json = Encoding.UTF8.GetBytes("{\"id\":\"2026-11-22_10-00-00\",\"site\":\"blog.example\"}");

        Assert.False(store.Exists(sidecar));
        var put = store.PutSmall(sidecar, json);
        Assert.Equal(json.Length, put.Size);
        Assert.True(store.Exists(sidecar));
        Assert.Equal(json, S3TestData.ReadWithMinio(s3.Minio(), S3Fixture.Bucket, location.ObjectKey(sidecar)));

        var listed = Assert.Single(store.List());
        Assert.Equal(sidecar, listed.Key);
        Assert.Equal(json.Length, listed.Size);
        Assert.NotNull(listed.LastModified);
        Assert.InRange(listed.LastModified!.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(BackupKeys.Archive("blog.example", "2026-11-22_10-00-00"), BackupKeys.ArchiveOfSidecar(listed.Key));

        using (var read = store.OpenRead(sidecar))
        {
            Assert.Equal(json.Length, read.Length);
            using var copy = new MemoryStream();
            read.CopyTo(copy);
            Assert.Equal(json, copy.ToArray());
        }

        store.Delete(sidecar);
        Assert.False(store.Exists(sidecar));
        Assert.Empty(store.List());
        Assert.False(S3TestData.ExistsWithMinio(s3.Minio(), S3Fixture.Bucket, location.ObjectKey(sidecar)));
        store.Delete(sidecar); // deleting what is gone is no error
    }

    [Fact]
    public async Task Listing_follows_continuation_tokens_across_pages()
    {
        var location = s3.NewLocation(s => s with { ListPageSize = 7 });
        using var store = new S3BackupStore(location);
        var keys = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            var key = BackupKeys.Sidecar(i % 2 == 0 ? "a.example" : "b.example", $"2026-11-{1 + i:00}_00-00-00");
            store.PutSmall(key, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
            keys.Add(key);
        }

        // The server really pages at 7 keys: one request alone gets 7 and a continuation token.
        var first = await store.Client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request
        {
            BucketName = location.Bucket,
            Prefix = location.ObjectKey(""),
            MaxKeys = 7,
        });
        Assert.Equal(7, first.S3Objects.Count);
        Assert.True(first.IsTruncated);

        var all = store.List();
        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Select(o => o.Key));
        var siteA = store.List(BackupKeys.SitePrefix("a.example"));
        Assert.Equal(13, siteA.Count);
        Assert.All(siteA, o => Assert.StartsWith("a.example/", o.Key));
    }

    [Fact]
    public void Reading_a_missing_object_is_S3ObjectNotFound()
    {
        using var store = new S3BackupStore(s3.NewLocation());
        var e = Assert.Throws<Core.Errors.BackupNotFoundException>(() => store.OpenRead("nope/none.tar.zst"));
        Assert.Equal("S3ObjectNotFound", e.ErrorId);
    }
}
