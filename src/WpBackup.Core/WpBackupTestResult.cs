namespace WpBackup.Core;

/// <summary>
/// What Test-WpBackup found for one backup. A failed check is not an error: <see cref="Passed"/>
/// is false and <see cref="Problems"/> says, one sentence each, what was wrong.
/// </summary>
public sealed class WpBackupTestResult
{
    public required string Site { get; init; }
    public required string BackupId { get; init; }
    /// <summary>The archive that was read.</summary>
    public required string Path { get; init; }
    public bool Passed => Problems.Length == 0;
    public string[] Problems { get; init; } = [];
    /// <summary>Regular files read and hashed: all of them, checked against the manifest, unless the archive is damaged (then those read before the damage).</summary>
    public long CheckedFiles { get; init; }
    /// <summary>Uncompressed bytes read and hashed: the files' and the dump's.</summary>
    public long CheckedBytes { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>Whether the backup was also restored into a scratch folder and database and checked there.</summary>
    public bool Deep { get; init; }
    /// <summary>The <c>siteurl</c> option read back from the restored database (-Deep only).</summary>
    public string? SiteUrl { get; init; }
    /// <summary>The <c>home</c> option read back from the restored database (-Deep only).</summary>
    public string? Home { get; init; }

    public override string ToString() => $"{Site}/{BackupId}: " + (Passed ? "passed" : string.Join("; ", Problems));
}
