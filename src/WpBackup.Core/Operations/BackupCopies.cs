using WpBackup.Core.Errors;
using WpBackup.Core.Reporting;
using WpBackup.Core.Storage;

namespace WpBackup.Core.Operations;

/// <summary>One destination a new backup is copied to, with the S3 settings to reach it (null for a folder).</summary>
public sealed record CopyTarget(string Destination, S3Settings? S3);

/// <summary>
/// After a backup is made, copies it to the site's other destinations (the inventory's <c>copies:</c>)
/// with <see cref="BackupCopier"/>, one after the other. A failed copy does not touch the backup or
/// the other copies: it comes back as an error that names its destination.
/// </summary>
public sealed class BackupCopies(IOperationReporter reporter)
{
    public (WpBackup Backup, IReadOnlyList<WpBackupException> Failures) CopyTo(WpBackup backup, IReadOnlyList<CopyTarget> targets, CancellationToken cancel = default)
    {
        var copies = new List<string>();
        var failures = new List<WpBackupException>();
        foreach (var target in targets)
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                using var store = BackupStores.Open(target.Destination, target.S3);
                reporter.Verbose($"{backup}: copying to {store.Name}");
                var copy = new BackupCopier(store).Copy(backup, copied =>
                    reporter.Progress(new OperationProgress(backup.Site, "copy", 0, 0, copied, backup.Size, store.Name)), cancel);
                copies.Add(copy.Path);
                reporter.Verbose($"{backup}: copied {backup.Size:N0} bytes to {copy.Path}");
            }
            catch (Exception e) when (e is WpBackupException or IOException or UnauthorizedAccessException)
            {
                var kind = e is WpBackupException known ? known.Kind : FailureKind.Destination;
                failures.Add(new WpBackupException(kind, "BackupCopyFailed",
                    $"Backup {backup} is made and kept in {backup.Location ?? Path.GetDirectoryName(Path.GetDirectoryName(backup.Path))}, but copying it to '{target.Destination}' failed: {e.Message}" +
                    " Copy it later with Copy-WpBackup, or fix the destination in the inventory's 'copies'.", e) { Target = backup });
            }
        }
        return (backup.WithCopies(copies), failures);
    }
}
