using WpBackup.Core.Hosts;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Operations;

public sealed class RestoreRequest
{
    public required WpBackup Backup { get; init; }
    /// <summary>Where the site's files and database are restored: this machine or a server.</summary>
    public ISiteHost Host { get; init; } = LocalHost.Instance;
    /// <summary>Where the site's files go on the host; the backup's original root when null.</summary>
    public string? Target { get; init; }
    /// <summary>What to restore; everything the backup holds when null.</summary>
    public BackupType? Type { get; init; }
    public DatabaseOverrides Database { get; init; } = new();
    /// <summary>Keys that open an encrypted archive (ID.tar.zst.age).</summary>
    public Crypto.BackupDecryption Keys { get; init; } = Crypto.BackupDecryption.None;
}
