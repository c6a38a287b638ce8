using System.Security.Cryptography;
using Amazon.S3;

namespace WpBackup.Core.Storage;

/// <summary>
/// What the server says it stored against what was sent. A plain (or SSE-S3) object's or part's
/// ETag is the hex MD5 of its bytes; SSE-KMS and SSE-C ETags are not, so those are not compared.
/// </summary>
internal static class UploadCheck
{
    public static byte[] Md5(ReadOnlySpan<byte> bytes) => MD5.HashData(bytes);

    /// <returns>Null when the ETag matches (or cannot be compared), else what differs.</returns>
    public static string? ETagMismatch(string? etag, byte[] md5, ServerSideEncryptionMethod? encryption, string? customerEncryption)
    {
        if (!string.IsNullOrEmpty(customerEncryption))
            return null;
        var method = encryption?.Value;
        if (method is not null && method.StartsWith("aws:kms", StringComparison.Ordinal))
            return null;
        var hex = etag?.Trim('"');
        if (hex is null || hex.Length != 32)
            return null; // not an MD5 ETag at all (some services use other forms); nothing to compare
        var expected = Convert.ToHexString(md5).ToLowerInvariant();
        return string.Equals(hex, expected, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"the server's ETag {hex} is not the MD5 {expected} of the bytes sent";
    }
}
