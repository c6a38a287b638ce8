using System.Security.Cryptography;
using Minio;
using Minio.DataModel.Args;

namespace WpBackup.Tests.S3;

internal static class S3TestData
{
    /// <summary>Writes <paramref name="length"/> pseudo-random bytes in uneven chunks and returns their SHA-256.</summary>
    public static string WriteRandom(Stream target, long length, int seed = 1, Action? afterChunk = null)
    {
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long left = length; left > 0;)
        {
            var n = (int)Math.Min(left, random.Next(1, buffer.Length));
            random.NextBytes(buffer.AsSpan(0, n));
            sha.AppendData(buffer, 0, n);
            target.Write(buffer, 0, n);
            left -= n;
            afterChunk?.Invoke();
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>SHA-256 and length of a stream read to its end in small reads.</summary>
    public static (string Sha256, long Length) Hash(Stream source)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            total += n;
        }
        return (Convert.ToHexString(sha.GetHashAndReset()), total);
    }

    /// <summary>Reads an object with the MinIO client: an implementation independent of the AWS SDK.</summary>
    public static (string Sha256, long Length) HashWithMinio(IMinioClient minio, string bucket, string objectKey)
    {
        (string, long) result = default;
        minio.GetObjectAsync(new GetObjectArgs().WithBucket(bucket).WithObject(objectKey).WithCallbackStream(stream => result = Hash(stream)))
            .GetAwaiter().GetResult();
        return result;
    }

    public static byte[] ReadWithMinio(IMinioClient minio, string bucket, string objectKey)
    {
        using var copy = new MemoryStream();
        minio.GetObjectAsync(new GetObjectArgs().WithBucket(bucket).WithObject(objectKey).WithCallbackStream(stream => stream.CopyTo(copy)))
            .GetAwaiter().GetResult();
        return copy.ToArray();
    }

    /// <summary>Stores <paramref name="content"/> as the object with the MinIO client (replacing what is there).</summary>
    public static void WriteWithMinio(IMinioClient minio, string bucket, string objectKey, byte[] content)
    {
        using var body = new MemoryStream(content, writable: false);
        minio.PutObjectAsync(new PutObjectArgs().WithBucket(bucket).WithObject(objectKey).WithStreamData(body).WithObjectSize(content.Length))
            .GetAwaiter().GetResult();
    }

    /// <summary>Deletes the object with the MinIO client.</summary>
    public static void DeleteWithMinio(IMinioClient minio, string bucket, string objectKey) =>
        minio.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(objectKey)).GetAwaiter().GetResult();

    /// <summary>Whether MinIO's client sees the object.</summary>
    public static bool ExistsWithMinio(IMinioClient minio, string bucket, string objectKey)
    {
        try
        {
            minio.StatObjectAsync(new StatObjectArgs().WithBucket(bucket).WithObject(objectKey)).GetAwaiter().GetResult();
            return true;
        }
        catch (Minio.Exceptions.ObjectNotFoundException)
        {
            return false;
        }
    }
}
