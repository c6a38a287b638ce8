using WpBackup.Core.Errors;

namespace WpBackup.Core.Operations;

/// <summary>
/// An archive that went into a store whose sidecar then failed: it is deleted again, so nothing unlisted is left.
/// When the store cannot delete it either (the server went away), the failure says where the archive is.
/// </summary>
internal static class UnpublishedArchive
{
    /// <summary>
    /// Deletes the archive with <paramref name="delete"/> and returns, for the caller to rethrow <paramref name="failure"/>;
    /// when it cannot be deleted, throws the same failure (kind and ErrorId) naming the archive left behind.
    /// </summary>
    public static void Remove(Action delete, string archive, Exception failure)
    {
        try
        {
            delete();
        }
        catch (Exception e) when (e is WpBackupException or IOException or UnauthorizedAccessException)
        {
            var left = $" The archive {archive} was written but could not be deleted again ({e.Message}); it is not listed as a backup; delete it by hand.";
            throw failure is WpBackupException known
                ? new WpBackupException(known.Kind, known.ErrorId, known.Message + left, failure) { Target = known.Target }
                : new WpBackupException(FailureKind.Destination, "ArchiveLeftBehind", failure.Message + left, failure);
        }
    }
}
