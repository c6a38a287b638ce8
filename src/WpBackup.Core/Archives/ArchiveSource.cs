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
            return new DecryptingArchiveStream(file, AgeDecryptStream.Open(file, identities, leaveOpen: true));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Plaintext (zstd) from the age stream; position and length are those of the encrypted file, for progress.</summary>
    private sealed class DecryptingArchiveStream(Stream file, AgeDecryptStream plain) : ForwardReadStream
    {
        public override int Read(byte[] buffer, int offset, int count) => plain.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => plain.Read(buffer);
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
