namespace WpBackup.Core.Storage;

/// <summary>A finished upload: the key (relative to the location's prefix), bytes stored, the ETag and how many parts it took (0: one PutObject).</summary>
public sealed record S3UploadResult(string Key, long Size, string ETag, int Parts);
