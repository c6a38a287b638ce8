using System.Diagnostics;
using WpBackup.Core.Errors;
using WpBackup.Core.Storage;

namespace WpBackup.Tests.S3;

[Collection("s3")]
public sealed class S3UploadTuningTests(S3Fixture s3)
{
    [Fact]
    public void The_bandwidth_limit_holds_the_upload_to_its_rate()
    {
        const long size = 8_000_000;
        const long rate = 4_000_000;
        var location = s3.NewLocation(s => s with { MaxBytesPerSecond = rate, PartSize = S3Settings.MinPartSize });
        using var store = new S3BackupStore(location);
        var clock = Stopwatch.StartNew();
        string written;
        using (var upload = store.OpenUpload("throttled/1.tar.zst"))
        {
            written = S3TestData.WriteRandom(upload, size, seed: 4);
            upload.Complete();
        }
        clock.Stop();
        // 8 MB at 4 MB/s is 2 s; a lower bound only (a loaded machine is slower, never faster).
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.8), $"8 MB at 4 MB/s took only {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal((written, size), S3TestData.HashWithMinio(s3.Minio(), S3Fixture.Bucket, location.ObjectKey("throttled/1.tar.zst")));
    }

    [Fact]
    public void The_token_bucket_passes_at_most_its_rate()
    {
        var limiter = new BandwidthLimiter(1_000_000);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
            limiter.Take(25_000); // 500 kB
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.45), $"took {clock.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public void Several_parts_in_flight_still_give_the_bytes_in_order()
    {
        var location = s3.NewLocation(s => s with { PartSize = S3Settings.MinPartSize, PartsInFlight = 3, MaxConcurrentPartUploads = 2 });
        using var store = new S3BackupStore(location);
        const long size = 7L * S3Settings.MinPartSize + 12345;
        string written;
        S3UploadResult result;
        using (var upload = store.OpenUpload("ordered/1.tar.zst"))
        {
            written = S3TestData.WriteRandom(upload, size, seed: 8);
            result = upload.Complete();
            Assert.InRange(upload.BuffersAllocated, 1, 3 + 1); // memory: PartSize × (PartsInFlight + 1) at most
        }
        Assert.Equal(8, result.Parts);
        using var read = store.OpenRead("ordered/1.tar.zst");
        Assert.Equal((written, size), S3TestData.Hash(read));
    }

    [Fact]
    public void With_chunk_encoding_on_s3rver_stores_the_chunk_framing_and_verification_catches_it()
    {
        // Why ChunkEncoding defaults to off: s3rver keeps aws-chunked framing inside the object and says 200.
        var data = S3TestData.Random(200_000, seed: 200);
        var careless = s3.NewLocation(s => s with { ChunkEncoding = true, VerifyUploads = false });
        using (var store = new S3BackupStore(careless))
        {
            store.PutSmall("chunked/raw.bin", data, "application/octet-stream");
            var stored = S3TestData.ReadWithMinio(s3.Minio(), S3Fixture.Bucket, careless.ObjectKey("chunked/raw.bin"));
            Assert.True(stored.Length > data.Length, $"stored {stored.Length} bytes for {data.Length}");
            Assert.NotEqual(data, stored);
        }

        var checking = s3.NewLocation(s => s with { ChunkEncoding = true, PartSize = S3Settings.MinPartSize });
        using (var store = new S3BackupStore(checking))
        {
            var small = Assert.Throws<TransportException>(() => store.PutSmall("chunked/checked.bin", data, "application/octet-stream"));
            Assert.Equal("S3UploadCorrupt", small.ErrorId);
            Assert.False(store.Exists("chunked/checked.bin")); // the wrong object was removed

            using var upload = store.OpenUpload("chunked/big.bin");
            var big = Assert.Throws<TransportException>(() =>
            {
                S3TestData.WriteRandom(upload, 2L * S3Settings.MinPartSize + 1, seed: 201);
                upload.Complete();
            });
            Assert.Equal("S3UploadCorrupt", big.ErrorId);
            Assert.NotEqual(S3UploadState.Completed, upload.State);
            Assert.False(store.Exists("chunked/big.bin"));
        }

        // Off (the default), the same bytes arrive intact.
        var plain = s3.NewLocation();
        using (var store = new S3BackupStore(plain))
        {
            store.PutSmall("plain/raw.bin", data, "application/octet-stream");
            Assert.Equal(data, S3TestData.ReadWithMinio(s3.Minio(), S3Fixture.Bucket, plain.ObjectKey("plain/raw.bin")));
        }
    }
}
