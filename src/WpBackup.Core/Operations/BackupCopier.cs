using System.Security.Cryptography;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;
using WpBackup.Core.Storage;

namespace WpBackup.Core.Operations;

/// <summary>
/// Copies finished backups into another store (a folder or a bucket): the archive first, its
/// sidecar last, so the copy is listed only once whole. The archive's bytes are hashed on the way
/// and must match the sidecar, or nothing is kept. A copy already there with the same size and
/// SHA-256 counts as done. Copy-WpBackup and New-WpBackup's inventory copies both go through here.
/// </summary>
public sealed class BackupCopier(IBackupStore target)
{
    public IBackupStore Target => target;

    /// <summary>The copy of <paramref name="backup"/> among <paramref name="there"/> (the target's listing) with the same size and SHA-256, if any.</summary>
    public static WpBackup? SameCopy(WpBackup backup, IEnumerable<WpBackup> there) =>
        there.FirstOrDefault(copy => copy.Site == backup.Site && copy.Id == backup.Id && copy.Size == backup.Size &&
                                     string.Equals(copy.Sha256, backup.Sha256, StringComparison.OrdinalIgnoreCase));

    /// <summary>Copies one backup; <paramref name="progress"/> gets the bytes copied so far. Returns the copy as the target lists it.</summary>
    /// <exception cref="WpBackupException">The source is missing or not what its sidecar says, or the target refused it; nothing is left in the target.</exception>
    public WpBackup Copy(WpBackup backup, Action<long>? progress = null, CancellationToken cancel = default)
    {
        var sidecar = SidecarOf(backup);
        var manifest = BackupManifest.FromJson(sidecar);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string path;
        long copied = 0;
        using (var source = OpenSource(backup, cancel))
        using (var upload = target.CreateArchive(backup.Site, backup.Id, backup.Encrypted, cancel))
        {
            path = upload.Path;
            var buffer = new byte[1 << 20];
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancel.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                upload.Stream.Write(buffer, 0, read);
                copied += read;
                progress?.Invoke(copied);
            }
            var sha = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            if (copied != manifest.ArchiveSize || !string.Equals(sha, manifest.ArchiveSha256, StringComparison.OrdinalIgnoreCase))
                throw new ArchiveException("CopySourceMismatch",
                    $"The archive of {backup} ({copied:N0} bytes) is not the one its sidecar describes; nothing was copied to {target.Name}. Check it with Test-WpBackup.") { Target = backup };
            upload.Commit();
        }
        var copy = WpBackup.FromManifest(manifest, path, target);
        try
        {
            target.WriteSidecar(backup.Site, backup.Id, sidecar, cancel);
        }
        catch (Exception e)
        {
            UnpublishedArchive.Remove(() => target.Remove(copy), path, e);
            throw;
        }
        return copy;
    }

    /// <summary>The sidecar's bytes as stored when it is a local file (kept byte for byte), else as listed.</summary>
    private static byte[] SidecarOf(WpBackup backup)
    {
        if (backup.Store is null or LocalBackups)
        {
            if (!File.Exists(backup.Path) || !File.Exists(backup.SidecarPath))
                throw new BackupNotFoundException("ArchiveNotFound", $"Backup {backup} is not a local backup with its archive and sidecar ('{backup.Path}').") { Target = backup };
            return File.ReadAllBytes(backup.SidecarPath);
        }
        return backup.Manifest.ToJson();
    }

    private static Stream OpenSource(WpBackup backup, CancellationToken cancel) =>
        backup.Store is { } store ? store.OpenArchive(backup, cancel) : ArchiveReader.OpenFile(backup.Path);
}
