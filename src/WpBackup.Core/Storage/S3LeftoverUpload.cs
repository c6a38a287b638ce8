using WpBackup.Core.Errors;

namespace WpBackup.Core.Storage;

/// <summary>
/// What to tell the user about a multipart upload that could be neither completed nor aborted (the
/// service was gone): its parts stay there, taking space, until the upload is aborted. Names the
/// bucket, the object key and the upload id, and the two ways to clean up.
/// </summary>
internal static class S3LeftoverUpload
{
    public static string Advice(S3Location location, string key, string uploadId, WpBackupException abortFailure)
    {
        var objectKey = location.ObjectKey(key);
        var endpoint = location.Settings.Endpoint is { } uri ? $" --endpoint-url {uri.GetLeftPart(UriPartial.Authority)}" : "";
        return $"Aborting its multipart upload failed too ({abortFailure.Message}), so the parts already sent stay on the service " +
               $"until the upload is aborted: bucket '{location.Bucket}', key '{objectKey}', upload id '{uploadId}'. " +
               $"When the service answers again, abort it (aws s3api abort-multipart-upload --bucket {location.Bucket} --key '{objectKey}' " +
               $"--upload-id '{uploadId}'{endpoint}), or give the bucket a lifecycle rule that aborts incomplete multipart uploads " +
               "(AbortIncompleteMultipartUpload, e.g. after 2 days) so the service removes such parts by itself.";
    }
}
