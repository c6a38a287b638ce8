using System.Text.RegularExpressions;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Storage;

/// <summary>
/// A bucket and key prefix of an S3-compatible service, written <c>s3://bucket/prefix</c>.
/// Keys handed to <see cref="S3BackupStore"/> are relative to the prefix: the backup
/// <c>SITE/ID.tar.zst</c> is stored at <c>PREFIX/SITE/ID.tar.zst</c>.
/// </summary>
public sealed class S3Location : StorageLocation
{
    // The bucket naming rules of S3 (3-63 characters; lower-case letters, digits, dots and hyphens;
    // a letter or digit at each end).
    private static readonly Regex BucketName = new("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant);

    public S3Location(string bucket, string? prefix, S3Settings settings)
    {
        if (!BucketName.IsMatch(bucket) || bucket.Contains("..", StringComparison.Ordinal))
            throw new WpBackupException(FailureKind.InvalidArgument, "S3BucketNameInvalid",
                $"'{bucket}' is not a valid S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens).");
        settings.Validate();
        Bucket = bucket;
        Prefix = NormalizePrefix(prefix ?? "");
        Settings = settings;
    }

    public string Bucket { get; }

    /// <summary>The key prefix without leading or trailing '/'; empty for the bucket's top.</summary>
    public string Prefix { get; }

    public S3Settings Settings { get; }

    /// <summary>The full object key of a key relative to <see cref="Prefix"/>.</summary>
    public string ObjectKey(string relativeKey) => Prefix.Length == 0 ? relativeKey : Prefix + "/" + relativeKey;

    /// <summary>The key relative to <see cref="Prefix"/> of a full object key under it.</summary>
    internal string RelativeKey(string objectKey) => Prefix.Length == 0 ? objectKey : objectKey[(Prefix.Length + 1)..];

    /// <summary><c>s3://bucket/prefix/relativeKey</c>, for messages.</summary>
    public string UrlOf(string relativeKey) => $"s3://{Bucket}/{ObjectKey(relativeKey)}";

    public static S3Location FromUrl(string url, S3Settings settings)
    {
        if (!IsS3Url(url))
            throw new WpBackupException(FailureKind.InvalidArgument, "S3UrlInvalid", $"'{url}' is not an s3://bucket/prefix URL.");
        var rest = url["s3://".Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Contains('@') || bucket.Contains(':'))
            throw new WpBackupException(FailureKind.InvalidArgument, "S3UrlHasCredentials",
                $"The S3 URL must not hold a key, secret or port ('{Redact(url)}'): write s3://bucket/prefix and pass the endpoint and credentials as settings.");
        if (prefix.Contains('?') || prefix.Contains('#'))
            throw new WpBackupException(FailureKind.InvalidArgument, "S3UrlInvalid",
                $"'{url}' has a query or fragment; write s3://bucket/prefix and pass settings separately.");
        return new S3Location(bucket, prefix, settings);
    }

    /// <summary><c>s3://bucket/prefix</c> and, for a non-AWS service, where it is. Never a secret.</summary>
    public override string ToString() =>
        $"s3://{Bucket}/{Prefix}" + (Settings.Endpoint is null ? "" : $" at {Settings.Endpoint.GetLeftPart(UriPartial.Authority)}");

    private static string NormalizePrefix(string prefix)
    {
        var segments = prefix.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            if (segment is "." or "..")
                throw new WpBackupException(FailureKind.InvalidArgument, "S3PrefixInvalid",
                    $"The S3 key prefix '{prefix}' has a '{segment}' segment; S3 keys are not paths, so write the prefix out.");
        }
        return string.Join('/', segments);
    }

    private static string Redact(string url)
    {
        var at = url.IndexOf('@');
        return at < 0 ? url : "s3://…" + url[at..];
    }
}
