using System.Management.Automation;
using System.Net;
using WpBackup.Core;
using WpBackup.Core.Storage;
using WpBackup.Tests.Crypto;
using WpBackup.Tests.Encryption;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.S3;

/// <summary>
/// s3:// destinations through the cmdlets and the real PowerShell engine, against the real s3rver:
/// New-WpBackup streams into the bucket, Get-WpBackup lists sidecars there, Test-WpBackup and
/// Restore-WpBackup stream the archive back, Remove-WpBackup deletes sidecar then archive.
/// </summary>
[Collection("s3")]
public sealed class S3CmdletTests(S3Fixture fixture) : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    private Dictionary<string, object?> Vars(S3Location location, params (string Name, object? Value)[] values)
    {
        var vars = values.ToDictionary(v => v.Name, v => v.Value);
        vars["dest"] = $"s3://{location.Bucket}/{location.Prefix}";
        vars["endpoint"] = fixture.Endpoint.ToString();
        vars["cred"] = new PSCredential(S3Fixture.AccessKey, new NetworkCredential("", S3Fixture.SecretKey).SecurePassword);
        return vars;
    }

    private const string S3 = "-Destination $dest -S3Endpoint $endpoint -S3Credential $cred";

    private string Site(string host)
    {
        var root = MiniSite.Create(_temp.Combine("www", host, "htdocs"));
        File.WriteAllBytes(Path.Combine(root, "wp-content", "uploads", "big.bin"), Enumerable.Range(0, 2_000_000).Select(i => (byte)(i * 31 % 253)).ToArray());
        return root;
    }

    private static List<string> Keys(S3Location location)
    {
        using var store = new S3BackupStore(location);
        return store.List().Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void Backup_to_a_bucket_lists_tests_restores_and_removes_through_the_cmdlets()
    {
        var location = fixture.NewLocation();
        var root = Site("bucket.example");
        var before = TreeSnapshot.Take(root);

        var backup = _ps.Run($"New-WpBackup -Path $p -Type Files {S3}", Vars(location, ("p", root))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal($"s3://{location.Bucket}/{location.Prefix}/bucket.example/{backup.Id}.tar.zst", backup.Path);
        Assert.Equal([$"bucket.example/{backup.Id}.json", $"bucket.example/{backup.Id}.tar.zst"], Keys(location));
        Assert.False(Directory.Exists(_temp.Combine("backups")));
        // read back by an independent client: the object's bytes are the archive its sidecar describes
        var sidecar = Core.Archives.BackupManifest.FromJson(
            S3TestData.ReadWithMinio(fixture.Minio(), S3Fixture.Bucket, location.ObjectKey($"bucket.example/{backup.Id}.json")));
        var archive = S3TestData.HashWithMinio(fixture.Minio(), S3Fixture.Bucket, location.ObjectKey($"bucket.example/{backup.Id}.tar.zst"));
        Assert.Equal((sidecar.ArchiveSha256!.ToUpperInvariant(), sidecar.ArchiveSize!.Value), archive);
        Assert.Equal(backup.Sha256, sidecar.ArchiveSha256);

        var listed = _ps.Run($"Get-WpBackup {S3}", Vars(location)).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(backup.Id, listed.Id);
        Assert.Equal(backup.Sha256, listed.Sha256);
        Assert.Equal(backup.Size, listed.Size);

        var test = _ps.Run($"Get-WpBackup {S3} | Test-WpBackup", Vars(location)).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(test.Passed, string.Join("; ", test.Problems));

        Directory.Delete(root, recursive: true);
        _ps.Run($"Get-WpBackup {S3} | Restore-WpBackup -Confirm:$false", Vars(location)).ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(before, TreeSnapshot.Take(root));

        _ps.Run($"Get-WpBackup {S3} | Remove-WpBackup -Force -Confirm:$false", Vars(location)).ShouldSucceed();
        Assert.Empty(Keys(location));
        Assert.Empty(_ps.Run($"Get-WpBackup {S3}", Vars(location)).ShouldSucceed().Output);
    }

    [Fact]
    public void The_archive_in_the_bucket_is_the_same_stream_tar_reads()
    {
        var location = fixture.NewLocation();
        var root = Site("plain.example");
        var backup = _ps.Run($"New-WpBackup -Path $p -Type Files {S3}", Vars(location, ("p", root))).ShouldSucceed().Single<BackupInfo>();
        var local = _temp.Combine("copy.tar.zst");
        using (var store = new S3BackupStore(location))
        using (var read = store.OpenRead($"plain.example/{backup.Id}.tar.zst"))
        using (var file = File.Create(local))
            read.CopyTo(file);
        Assert.Equal(backup.Size, new FileInfo(local).Length);
        var listing = Ssh.ExternalTool.Run("tar", "--zstd", "-tf", local);
        Assert.Contains("files/wp-content/uploads/big.bin", listing.StandardOutput);
    }

    [Fact]
    public void Encrypted_backup_to_a_bucket_round_trips_with_the_key_and_refuses_a_wrong_one()
    {
        var location = fixture.NewLocation();
        var root = Site("sealed.example");
        var before = TreeSnapshot.Take(root);
        var key = _temp.Combine("key.txt");
        var recipient = AgeCli.KeyGen(key);
        var other = _temp.Combine("other.txt");
        AgeCli.KeyGen(other);

        var backup = _ps.Run($"New-WpBackup -Path $p -Type Files {S3} -Encrypt -Recipient $r", Vars(location, ("p", root), ("r", recipient)))
            .ShouldSucceed().Single<BackupInfo>();
        Assert.EndsWith(".tar.zst.age", backup.Path, StringComparison.Ordinal);
        Assert.Equal([$"sealed.example/{backup.Id}.json", $"sealed.example/{backup.Id}.tar.zst.age"], Keys(location));

        File.WriteAllText(Path.Combine(root, "after.txt"), "kept");
        var changed = TreeSnapshot.Take(root);
        var wrong = _ps.Run($"Get-WpBackup {S3} | Restore-WpBackup -IdentityFile $k -Confirm:$false", Vars(location, ("k", other)));
        Assert.StartsWith("AgeNoMatchingIdentity", Assert.Single(wrong.Errors).FullyQualifiedErrorId);
        Assert.Equal(changed, TreeSnapshot.Take(root));

        var test = _ps.Run($"Get-WpBackup {S3} | Test-WpBackup -IdentityFile $k", Vars(location, ("k", key))).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(test.Passed, string.Join("; ", test.Problems));

        _ps.Run($"Get-WpBackup {S3} | Restore-WpBackup -IdentityFile $k -Confirm:$false", Vars(location, ("k", key))).ShouldSucceed();
        Assert.Equal(before, TreeSnapshot.Take(root));
    }

    [Fact]
    public void A_failed_backup_to_a_bucket_leaves_no_object()
    {
        var location = fixture.NewLocation();
        var root = Site("broken.example");
        // The database in the MiniSite config is not reachable: the backups fail, and nothing may appear in the bucket.
        var failed = _ps.Run($"New-WpBackup -Path $p -Type Full {S3}", Vars(location, ("p", root)));
        Assert.Single(failed.Errors);
        Assert.Empty(Keys(location));

        var incremental = _ps.Run($"New-WpBackup -Path $p -Type Incremental {S3}", Vars(location, ("p", root)));
        Assert.Single(incremental.Errors);
        Assert.Empty(Keys(location));
    }

    [Fact]
    public void A_refused_key_is_S3AccessDenied_and_nothing_is_written()
    {
        var location = fixture.NewLocation();
        var root = Site("denied.example");
        var vars = Vars(location, ("p", root));
        vars["cred"] = new PSCredential("NOBODY", new NetworkCredential("", "x").SecurePassword);
        var result = _ps.Run($"New-WpBackup -Path $p -Type Files {S3}", vars);
        Assert.StartsWith("S3AccessDenied", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Empty(Keys(location));
    }

    [Fact]
    public async Task An_upload_that_dies_with_the_server_names_the_bucket_key_and_upload_id_and_how_to_clean_up()
    {
        var location = fixture.NewLocation();
        var root = MiniSite.Create(_temp.Combine("www", "stranded.example", "htdocs"));
        File.WriteAllBytes(Path.Combine(root, "wp-content", "uploads", "video.bin"), S3TestData.Random(48_000_000, seed: 11));
        var uploads = Path.Combine(fixture.DataDirectory, S3Fixture.Bucket, "._S3rver_uploads");
        var before = Directory.Exists(uploads) ? Directory.GetDirectories(uploads).ToHashSet() : [];

        var backup = Task.Run(() => _ps.Run($"New-WpBackup -Path $p -Type Files -CompressionLevel 1 -RetryCount 0 {S3}", Vars(location, ("p", root))));
        string? uploadId = null;
        try
        {
            // kill the server once the first part of this backup's multipart upload is stored
            while (uploadId is null && !backup.IsCompleted)
            {
                var started = Directory.Exists(uploads) ? Directory.GetDirectories(uploads).Where(d => !before.Contains(d) && Directory.EnumerateFiles(d).Any()).ToList() : [];
                if (started.Count > 0)
                {
                    uploadId = Path.GetFileName(started[0]);
                    fixture.Kill();
                }
                else
                {
                    await Task.Delay(10);
                }
            }
            await backup.WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            fixture.Start();
        }

        Assert.NotNull(uploadId);
        var result = await backup;
        Assert.Empty(result.Output);
        var message = Assert.Single(result.Errors).Exception.Message;
        Assert.Contains($"bucket '{S3Fixture.Bucket}', key '{location.Prefix}/stranded.example/", message);
        Assert.Contains($"upload id '{uploadId}'", message);
        Assert.Contains($"aws s3api abort-multipart-upload --bucket {S3Fixture.Bucket} --key '{location.Prefix}/stranded.example/", message);
        Assert.Contains($"--upload-id '{uploadId}' --endpoint-url {fixture.Endpoint.GetLeftPart(UriPartial.Authority)}", message);
        Assert.Contains("lifecycle rule that aborts incomplete multipart uploads (AbortIncompleteMultipartUpload", message);
        Assert.Empty(Keys(location)); // no archive, no sidecar: the failed backup is not listed
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
