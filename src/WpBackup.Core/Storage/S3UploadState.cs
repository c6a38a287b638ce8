namespace WpBackup.Core.Storage;

/// <summary>Where an <see cref="S3UploadStream"/> is in its life.</summary>
public enum S3UploadState
{
    /// <summary>Accepting bytes.</summary>
    Open,

    /// <summary>The object exists.</summary>
    Completed,

    /// <summary>Given up, and nothing is left on the server (the multipart upload was aborted, or none was started).</summary>
    Aborted,

    /// <summary>Given up, but aborting the multipart upload failed: its parts may stay on the server until removed.</summary>
    AbortFailed,
}
