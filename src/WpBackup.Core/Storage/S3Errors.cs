using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Storage;

/// <summary>
/// Turns what the AWS SDK throws into the engine's exceptions with stable ErrorIds:
/// S3AccessDenied, S3BucketNotFound, S3ObjectNotFound, S3Unreachable, S3CredentialsMissing,
/// S3RequestFailed (and, from uploads, S3UploadFailed / S3UploadCorrupt). Messages name the
/// bucket, key and endpoint, never a secret.
/// </summary>
internal static class S3Errors
{
    private static readonly HashSet<string> AccessCodes = new(StringComparer.Ordinal)
    {
        "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken",
        "TokenRefreshRequired", "AllAccessDisabled", "AccountProblem", "InvalidSecurity",
    };

    /// <param name="action">What was being done, e.g. "Listing" or "Uploading"; starts the message.</param>
    public static WpBackupException Map(Exception exception, S3Location location, string action, string? key)
    {
        var e = Unwrap(exception);
        if (e is WpBackupException known)
            return known;
        var target = key is null ? $"s3://{location.Bucket}/{location.Prefix}" : location.UrlOf(key);
        var where = Where(location);
        if (e is AmazonS3Exception s3)
        {
            var code = s3.ErrorCode ?? "";
            if (AccessCodes.Contains(code) || s3.StatusCode == HttpStatusCode.Forbidden)
                return new DestinationException("S3AccessDenied",
                    $"{action} {target} was refused{where}: {Describe(s3)}. Check the access key and secret " +
                    $"({location.Settings.CredentialSource}) and that they may use bucket '{location.Bucket}'.", s3) { Target = target };
            if (code == "NoSuchBucket")
                return new DestinationException("S3BucketNotFound",
                    $"{action} {target} failed: the bucket '{location.Bucket}' does not exist{where}. Create it, or check the bucket name and endpoint.", s3) { Target = target };
            if (code is "NoSuchKey" or "NotFound" || s3.StatusCode == HttpStatusCode.NotFound)
                return new BackupNotFoundException("S3ObjectNotFound", $"{action} {target} failed: there is no such object{where}.") { Target = target };
            if (IsNetwork(s3))
                return Unreachable(s3, location, action, target);
            return new DestinationException("S3RequestFailed",
                $"{action} {target} failed{where}: {Describe(s3)}.", s3) { Target = target };
        }
        if (IsNetwork(e))
            return Unreachable(e, location, action, target);
        if (e is AmazonClientException && e.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
            return new DestinationException("S3CredentialsMissing",
                $"{action} {target} failed: no AWS credentials were found ({e.Message}). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, " +
                "AWS_PROFILE or a profile in ~/.aws/credentials, or pass an access key.", e) { Target = target };
        return new DestinationException("S3RequestFailed", $"{action} {target} failed{where}: {e.Message}", e) { Target = target };
    }

    /// <summary>True when the failure is the network's or the server's absence rather than an S3 answer.</summary>
    public static bool IsNetwork(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or SocketException or IOException or TimeoutException or TaskCanceledException)
                return true;
        }
        return false;
    }

    public static string Where(S3Location location) =>
        location.Settings.Endpoint is { } endpoint ? $" at {endpoint.GetLeftPart(UriPartial.Authority)}" : "";

    public static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
            e = aggregate.InnerExceptions[0];
        return e;
    }

    private static TransportException Unreachable(Exception e, S3Location location, string action, string target)
    {
        var endpoint = location.Settings.Endpoint?.GetLeftPart(UriPartial.Authority) ?? "AWS";
        return new TransportException("S3Unreachable",
            $"{action} {target} failed: the S3 service at {endpoint} cannot be reached ({Innermost(e).Message}). " +
            "Check the endpoint URL, the network and that the service is running.", e) { Target = target };
    }

    private static string Describe(AmazonS3Exception e) =>
        $"{(int)e.StatusCode} {e.ErrorCode}" + (string.IsNullOrWhiteSpace(e.Message) ? "" : $" ({e.Message.TrimEnd('.')})");

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e;
    }
}
