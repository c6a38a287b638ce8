using WpBackup.Core;
using WpBackup.Core.Storage;
using WpBackup.Tests.Crypto;
using WpBackup.Tests.S3;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Encryption;

/// <summary>
/// An encrypted backup (ID.tar.zst.age) cut short or altered after it was made, in a folder and in a bucket
/// (the real s3rver, the object replaced with the MinIO client), through the cmdlets: Test-WpBackup reports it
/// failed and why, Restore-WpBackup refuses it and leaves the site as it was. Keys from the real age-keygen.
/// </summary>
[Collection("s3")]
public sealed class DamagedEncryptedBackupTests(S3Fixture s3) : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    public enum Damage
    {
        /// <summary>Only whole encrypted chunks are left: the final chunk is missing.</summary>
        CutAtChunkBoundary,

        /// <summary>The file ends 1,000 bytes into a chunk.</summary>
        CutInsideChunk,

        /// <summary>One bit of the ciphertext in the middle of the file is flipped.</summary>
        FlippedBit,
    }

    [Theory]
    [InlineData(false, Damage.CutAtChunkBoundary, "AgeTruncated")]
    [InlineData(false, Damage.CutInsideChunk, "AgePayloadAuthenticationFailed")]
    [InlineData(true, Damage.CutAtChunkBoundary, "AgeTruncated")]
    [InlineData(true, Damage.CutInsideChunk, "AgePayloadAuthenticationFailed")]
    [InlineData(true, Damage.FlippedBit, "AgePayloadAuthenticationFailed")]
    public void Test_WpBackup_fails_it_naming_why_and_Restore_WpBackup_refuses_it_leaving_the_site_untouched(bool inBucket, Damage damage, string errorId)
    {
        var location = s3.NewLocation();
        var root = MiniSite.Create(_temp.Combine("www", "damaged.example", "htdocs"));
        File.WriteAllBytes(Path.Combine(root, "wp-content", "uploads", "photo.bin"), S3TestData.Random(400_000, seed: 5)); // about 7 age chunks
        var key = _temp.Combine("key.txt");
        var vars = s3.CmdletVariables(location, ("p", root), ("k", key), ("r", AgeCli.KeyGen(key)), ("d", inBucket ? null : _temp.Combine("backups")));
        var where = inBucket ? $"-Destination $bucket {S3Fixture.CmdletParameters}" : "-Destination $d";
        var backup = _ps.Run($"New-WpBackup -Path $p -Type Files {where} -Encrypt -Recipient $r", vars).ShouldSucceed().Single<BackupInfo>();

        var stored = Read(backup, location);
        Assert.Equal(backup.Size, stored.Length);
        var damaged = Apply(damage, stored);
        Write(backup, location, damaged);

        File.WriteAllText(Path.Combine(root, "changed-after.txt"), "still here");
        var site = TreeSnapshot.Take(root);
        var besideSite = Directory.GetFileSystemEntries(Path.GetDirectoryName(root)!).Order().ToArray();

        var test = _ps.Run($"Get-WpBackup {where} | Test-WpBackup -IdentityFile $k", vars).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.False(test.Passed);
        Assert.Contains(test.Problems, p => p.Contains($"the encrypted archive does not authenticate ({errorId})", StringComparison.Ordinal));
        if (damaged.Length != stored.Length)
            Assert.Contains($"the archive is {damaged.Length:N0} bytes but its sidecar says {stored.Length:N0}", test.Problems);
        else
            Assert.Contains(test.Problems, p => p.Contains("is not the one in its sidecar", StringComparison.Ordinal));

        var restore = _ps.Run($"Get-WpBackup {where} | Restore-WpBackup -IdentityFile $k -Confirm:$false", vars);
        Assert.Empty(restore.Output);
        var error = Assert.Single(restore.Errors);
        Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
        Assert.StartsWith($"The encrypted archive '{backup.Path}' is damaged: ", error.Exception.Message);
        Assert.EndsWith("Use another backup or another copy of this one; Test-WpBackup tells which are whole.", error.Exception.Message);
        Assert.Equal(site, TreeSnapshot.Take(root));
        Assert.Equal(besideSite, Directory.GetFileSystemEntries(Path.GetDirectoryName(root)!).Order().ToArray()); // no staging folder left
    }

    private static byte[] Apply(Damage damage, byte[] stored)
    {
        var chunks = (stored.Length - AgeFileLayout.PayloadStart(stored)) / (Core.Crypto.AgeFormat.ChunkSize + 16);
        Assert.True(chunks >= 4, $"{stored.Length:N0} bytes hold {chunks} whole chunks");
        switch (damage)
        {
            case Damage.CutAtChunkBoundary:
                return stored[..AgeFileLayout.ChunkStart(stored, chunks - 1)];
            case Damage.CutInsideChunk:
                return stored[..(AgeFileLayout.ChunkStart(stored, chunks - 1) + 1000)];
            default:
                var flipped = (byte[])stored.Clone();
                flipped[flipped.Length / 2] ^= 0x01;
                return flipped;
        }
    }

    private byte[] Read(BackupInfo backup, S3Location location) => backup.Store is S3Backups
        ? S3TestData.ReadWithMinio(s3.Minio(), S3Fixture.Bucket, location.ObjectKey(ObjectKey(backup)))
        : File.ReadAllBytes(backup.Path);

    private void Write(BackupInfo backup, S3Location location, byte[] content)
    {
        if (backup.Store is S3Backups)
            S3TestData.WriteWithMinio(s3.Minio(), S3Fixture.Bucket, location.ObjectKey(ObjectKey(backup)), content);
        else
            File.WriteAllBytes(backup.Path, content);
    }

    private static string ObjectKey(BackupInfo backup) => S3Backups.ArchiveKey(backup.Site, backup.Id, encrypted: true);

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
