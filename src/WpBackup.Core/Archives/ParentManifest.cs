using WpBackup.Core.Crypto;

namespace WpBackup.Core.Archives;

/// <summary>
/// The manifest (the whole file list) of the backup an incremental builds on, reading as little of
/// its archive as the sidecar allows: a plain archive from the manifest's own zstd frame, an
/// encrypted one through its age header and then only the payload chunks that hold that frame —
/// from a folder or with ranged reads from a bucket.
/// </summary>
internal static class ParentManifest
{
    /// <param name="keys">Open an encrypted parent; a missing or wrong key is an error naming the parent and what to pass.</param>
    public static BackupManifest Read(WpBackup parent, BackupDecryption keys)
    {
        if (parent.Manifest.ManifestOffset is long offset && offset > 0)
        {
            try
            {
                return parent.Encrypted ? ReadEncrypted(parent, keys, offset) : ReadFrom(parent.Path, Seekable(parent, offset));
            }
            catch (Errors.ArchiveException)
            {
                // The offset does not lead to a manifest: read the whole archive instead.
            }
        }
        return parent.Encrypted
            ? Opening(parent, keys, () => ArchiveSource.Open(parent.Path, keys, Seekable(parent, 0)), stream => ReadFrom(parent.Path, stream))
            : ReadFrom(parent.Path, Seekable(parent, 0));
    }

    private static BackupManifest ReadEncrypted(WpBackup parent, BackupDecryption keys, long plaintextOffset)
    {
        var stored = Seekable(parent, 0);
        return Opening(parent, keys, () =>
        {
            try
            {
                return (Stream)AgeDecryptStream.Open(stored, keys.Identities);
            }
            catch
            {
                stored.Dispose();
                throw;
            }
        }, stream =>
        {
            ((AgeDecryptStream)stream).SeekPlaintext(plaintextOffset);
            return ReadFrom(parent.Path, stream);
        });
    }

    /// <summary>Opens the parent's plaintext; a missing or refused key becomes an error that names the parent.</summary>
    private static BackupManifest Opening(WpBackup parent, BackupDecryption keys, Func<Stream> open, Func<Stream, BackupManifest> read)
    {
        var whom = parent.Recipients.Count > 0 ? $" (to {string.Join(", ", parent.Recipients)})" : "";
        if (keys.Identities.Count == 0)
            throw new AgeDecryptionException(AgeFailure.NoMatchingIdentity,
                $"{parent.Site}: the incremental backup builds on {parent.Id}, which is encrypted{whom}; its file list is inside the ciphertext. " +
                "Pass the key that opens it with -IdentityFile (age-keygen's key file) or -Passphrase, or make a -Type Full backup.");
        Stream plain;
        try
        {
            plain = open();
        }
        catch (AgeDecryptionException e) when (e.Reason is AgeFailure.NoMatchingIdentity or AgeFailure.WrongPassphrase)
        {
            throw new AgeDecryptionException(e.Reason,
                $"{parent.Site}: the incremental backup builds on {parent.Id}, which is encrypted{whom}, and the key given does not open it: {e.Message} " +
                "Pass the -IdentityFile or -Passphrase that opens it, or make a -Type Full backup.", e);
        }
        using (plain)
            return read(plain);
    }

    private static Stream Seekable(WpBackup parent, long offset)
    {
        var stream = parent.Store?.OpenSeekableArchive(parent) ?? ArchiveReader.OpenFile(parent.Path);
        stream.Seek(offset, SeekOrigin.Begin);
        return stream;
    }

    private static BackupManifest ReadFrom(string path, Stream compressed)
    {
        using var reader = new ArchiveReader(path, compressed);
        return ArchiveReader.ReadManifestFrom(reader);
    }
}
