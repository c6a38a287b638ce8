namespace WpBackup.Core.Storage;

/// <summary>One object as listed: its key relative to the location's prefix, size, last change and ETag.</summary>
public sealed record S3ObjectInfo(string Key, long Size, DateTimeOffset? LastModified, string? ETag);
