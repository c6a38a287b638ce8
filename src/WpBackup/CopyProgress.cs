using System.Management.Automation;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Cmdlets;

/// <summary>
/// Copy-WpBackup's progress bar: one activity for the whole copy, its percent the bytes copied so far
/// over all the backups' archive bytes (skipped backups count as copied), its status the backup being copied.
/// </summary>
internal sealed class CopyProgress(string destination, IReadOnlyList<BackupInfo> backups)
{
    private const int ActivityId = 4;
    private readonly long _total = backups.Sum(b => b.Size);
    private long _done;
    private int _started;

    public string Activity { get; } = $"Copying backups to {destination}";

    public ProgressRecord Starting(BackupInfo backup)
    {
        _started++;
        return Record(backup, 0);
    }

    public ProgressRecord Copied(BackupInfo backup, long copied) => Record(backup, copied);

    public void Finished(BackupInfo backup) => _done += backup.Size;

    public ProgressRecord Completed() => new(ActivityId, Activity, "done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 };

    private ProgressRecord Record(BackupInfo backup, long copied) =>
        new(ActivityId, Activity, $"{backup} ({_started} of {backups.Count})")
        {
            PercentComplete = _total == 0 ? 100 : (int)Math.Min(100, 100.0 * (_done + Math.Min(copied, backup.Size)) / _total),
        };
}
