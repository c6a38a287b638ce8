namespace WpBackup.Core.Storage;

/// <summary>A multipart upload the server still holds parts of: key relative to the location's prefix, its id and start.</summary>
public sealed record S3IncompleteUpload(string Key, string UploadId, DateTimeOffset? Initiated);
