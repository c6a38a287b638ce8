namespace WpBackup.Core;

/// <summary>
/// What a backup holds: Full (files and database), Database, Files, or Incremental (the database
/// and the files changed since the site's previous backup, the rest found in earlier archives).
/// </summary>
public enum BackupType { Full, Database, Files, Incremental }

public static class BackupTypes
{
    public static bool HasFiles(this BackupType type) => type is BackupType.Full or BackupType.Files or BackupType.Incremental;
    public static bool HasDatabase(this BackupType type) => type is BackupType.Full or BackupType.Database or BackupType.Incremental;

    /// <summary>Whether a backup of this type can be the base of an incremental one: it knows the whole tree and the database.</summary>
    public static bool CanBeParent(this BackupType type) => type is BackupType.Full or BackupType.Incremental;
}
