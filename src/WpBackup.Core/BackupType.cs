namespace WpBackup.Core;

/// <summary>What a backup holds: files and database, only the database, or only the files.</summary>
public enum BackupType { Full, Database, Files }
