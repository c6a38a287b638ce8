using WpBackup.Core.Crypto;

namespace WpBackup.Core.Archives;

/// <summary>
/// Opens an archive's compressed (zstd) bytes for <see cref="ArchiveReader"/>: a plain ID.tar.zst as it is,
/// an ID.tar.zst.age through age decryption. A wrong or missing key fails here, before any plaintext
/// is read and before the caller has touched anything.
/// </summary>
public static class ArchiveSource
{
    /// <summary>Opens a listed backup's archive: from its store (an S3 bucket) when it has one, else the file at its path.</summary>
    public static Stream Open(WpBackup backup, BackupDecryption? keys) =>
        Open(backup.Path, keys, backup.Store?.OpenArchive(backup));

    /// <summary>Opens the archive at <paramref name="path"/> (from <paramref name="file"/> when given, e.g. a hashing stream over it).</summary>
    public static Stream Open(string path, BackupDecryption? keys, Stream? file = null)
    {
        file ??= ArchiveReader.OpenFile(path);
        if (!ArchiveLayout.IsEncryptedName(path))
            return file;
        try
        {
            var identities = keys?.Identities ?? [];
            if (identities.Count == 0)
                throw new AgeDecryptionException(AgeFailure.NoMatchingIdentity,
                    $"The archive '{path}' is encrypted with age; give the key that opens it with -IdentityFile (age-keygen's key file) or -Passphrase.");
            return new DecryptingArchiveStream(path, file, AgeDecryptStream.Open(file, identities, leaveOpen: true));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Plaintext (zstd) from the age stream; position and length are those of the encrypted file, for progress.
    /// A payload that fails while being read (cut short, altered) is reported with the archive's name and what to do,
    /// under the age reader's ErrorId; its own words stay in the inner exception.
    /// </summary>
    private sealed class DecryptingArchiveStream(string path, Stream file, AgeDecryptStream plain) : ForwardReadStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            try
            {
                return plain.Read(buffer);
            }
            catch (AgeDecryptionException e)
            {
                throw new AgeDecryptionException(e.Reason,
                    $"The encrypted archive '{path}' is damaged: {e.Message} Use another backup or another copy of this one; Test-WpBackup tells which are whole.", e);
            }
        }
        public override long Length => file.Length;
        public override long Position { get => file.Position; set => throw new NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                plain.Dispose();
                file.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
