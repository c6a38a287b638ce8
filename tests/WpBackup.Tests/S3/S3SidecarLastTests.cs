using System.Text.RegularExpressions;
using WpBackup.Core.Storage;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.S3;

/// <summary>
/// A backup in a bucket exists only once its sidecar object does, through the cmdlets against the real s3rver:
/// an archive object without its sidecar is not listed, and when the sidecar put is refused after the archive
/// was uploaded (a proxy answers that one request with S3's AccessDenied), the archive is deleted again, by
/// New-WpBackup and by Copy-WpBackup alike.
/// </summary>
[Collection("s3")]
public sealed class S3SidecarLastTests(S3Fixture s3) : IDisposable
{
    private const string S3 = S3Fixture.CmdletParameters;
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    private string Site(string host)
    {
        var root = MiniSite.Create(_temp.Combine("www", host, "htdocs"));
        File.WriteAllBytes(Path.Combine(root, "wp-content", "uploads", "photo.bin"), S3TestData.Random(300_000, seed: 4));
        return root;
    }

    /// <summary>Every object under the location's prefix (a plain ListObjectsV2).</summary>
    private List<string> Objects(S3Location location)
    {
        using var store = new S3BackupStore(location);
        return store.List().Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether a request is the PUT of a sidecar (KEY.json) under the location's prefix.</summary>
    private static bool IsSidecarPut(S3Location location, string method, string target) =>
        method == "PUT" && target.StartsWith($"/{location.Bucket}/{location.Prefix}/", StringComparison.Ordinal) &&
        target.Split('?')[0].EndsWith(".json", StringComparison.Ordinal);

    /// <summary>A proxy that refuses every PUT of a sidecar under the location's prefix.</summary>
    private RefusingS3Proxy RefusingSidecars(S3Location location) => new(s3.Port, (method, target) => IsSidecarPut(location, method, target));

    /// <summary>The id of the backup whose archive New-WpBackup -Verbose said it streams into the bucket.</summary>
    private static string StreamedId(PipelineResult result, string site)
    {
        var streaming = Assert.Single(result.Verbose, v => v.Contains("streaming the archive into", StringComparison.Ordinal));
        return Regex.Match(streaming, $@"/{Regex.Escape(site)}/([^/]+)\.tar\.zst$").Groups[1].Value;
    }

    [Fact]
    public void An_archive_object_whose_sidecar_object_is_gone_is_not_listed()
    {
        var location = s3.NewLocation();
        var root = Site("orphan.example");
        var vars = s3.CmdletVariables(location, ("p", root));
        var first = _ps.Run($"New-WpBackup -Path $p -Type Files -Destination $bucket {S3}", vars).ShouldSucceed().Single<BackupInfo>();
        var second = _ps.Run($"New-WpBackup -Path $p -Type Files -Destination $bucket {S3}", vars).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(2, _ps.Run($"Get-WpBackup -Destination $bucket {S3}", vars).ShouldSucceed().Output.Count);

        S3TestData.DeleteWithMinio(s3.Minio(), S3Fixture.Bucket, location.ObjectKey(BackupKeys.Sidecar("orphan.example", first.Id)));

        var listed = _ps.Run($"Get-WpBackup -Destination $bucket {S3}", vars).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(second.Id, listed.Id);
        vars["id"] = first.Id;
        var byId = _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Site orphan.example -Id $id", vars);
        Assert.Empty(byId.Output);
        Assert.StartsWith("BackupNotFound", Assert.Single(byId.Errors).FullyQualifiedErrorId);
        // The archive object is still there: only the missing sidecar keeps it out of the list.
        Assert.True(S3TestData.ExistsWithMinio(s3.Minio(), S3Fixture.Bucket, location.ObjectKey(S3Backups.ArchiveKey("orphan.example", first.Id, encrypted: false))));
    }

    [Fact]
    public void New_WpBackup_deletes_the_uploaded_archive_when_the_bucket_refuses_its_sidecar()
    {
        var location = s3.NewLocation();
        var root = Site("refused.example");
        using var proxy = RefusingSidecars(location);
        var vars = s3.CmdletVariables(location, ("p", root), ("proxy", proxy.Endpoint.ToString()));

        var result = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $bucket -S3Endpoint $proxy -S3Credential $cred -RetryCount 0 -Verbose", vars);

        Assert.Empty(result.Output);
        var id = StreamedId(result, "refused.example");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("S3AccessDenied", error.FullyQualifiedErrorId);
        Assert.Contains($"{location.UrlOf(BackupKeys.Sidecar("refused.example", id))}", error.Exception.Message);
        AssertArchivePutThenSidecarRefusedThenArchiveDeleted(proxy, location, "refused.example", id);
        Assert.Empty(Objects(location));
        Assert.False(S3TestData.ExistsWithMinio(s3.Minio(), S3Fixture.Bucket, location.ObjectKey(S3Backups.ArchiveKey("refused.example", id, encrypted: false))));
        Assert.Empty(_ps.Run($"Get-WpBackup -Destination $bucket {S3}", vars).ShouldSucceed().Output);
    }

    [Fact]
    public void A_server_gone_at_the_sidecar_put_leaves_an_archive_that_is_not_listed_and_the_error_names_it()
    {
        var location = s3.NewLocation();
        var root = Site("crashed.example");
        // The proxy stops s3rver when the sidecar's PUT arrives, so the archive is in and the sidecar and the cleanup cannot be.
        using var proxy = new RefusingS3Proxy(s3.Port, (method, target) =>
        {
            if (IsSidecarPut(location, method, target) && s3.IsRunning)
                s3.Kill();
            return false;
        });
        var vars = s3.CmdletVariables(location, ("p", root), ("proxy", proxy.Endpoint.ToString()));
        PipelineResult result;
        try
        {
            result = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $bucket -S3Endpoint $proxy -S3Credential $cred -RetryCount 0 -Verbose", vars);
        }
        finally
        {
            s3.Start();
        }

        Assert.Empty(result.Output);
        var id = StreamedId(result, "crashed.example");
        var archive = location.UrlOf(S3Backups.ArchiveKey("crashed.example", id, encrypted: false));
        var message = Assert.Single(result.Errors).Exception.Message;
        Assert.Contains(location.UrlOf(BackupKeys.Sidecar("crashed.example", id)), message);
        Assert.Contains($"The archive {archive} was written but could not be deleted again (", message);
        Assert.Contains("it is not listed as a backup; delete it by hand.", message);
        // Restarted on the same data: the archive object is there, its sidecar is not, and no backup is listed.
        Assert.Equal([S3Backups.ArchiveKey("crashed.example", id, encrypted: false)], Objects(location));
        Assert.Empty(_ps.Run($"Get-WpBackup -Destination $bucket {S3}", vars).ShouldSucceed().Output);
    }

    [Fact]
    public void Copy_WpBackup_deletes_the_copied_archive_when_the_bucket_refuses_its_sidecar_and_goes_on_with_the_next_backup()
    {
        var location = s3.NewLocation();
        var folder = _temp.Combine("backups");
        var refused = s3.CmdletVariables(location, ("p", Site("copyrefused.example")), ("d", folder));
        var backup = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", refused).ShouldSucceed().Single<BackupInfo>();
        using var proxy = RefusingSidecars(location);
        refused["proxy"] = proxy.Endpoint.ToString();

        var result = _ps.Run("Get-WpBackup -Destination $d | Copy-WpBackup -Destination $bucket -S3Endpoint $proxy -S3Credential $cred", refused);

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("S3AccessDenied", error.FullyQualifiedErrorId);
        Assert.Contains(location.UrlOf(BackupKeys.Sidecar("copyrefused.example", backup.Id)), error.Exception.Message);
        AssertArchivePutThenSidecarRefusedThenArchiveDeleted(proxy, location, "copyrefused.example", backup.Id);
        Assert.Empty(Objects(location));

        // Through s3rver itself (nothing refused) the same copy goes in whole.
        var copied = _ps.Run($"Get-WpBackup -Destination $d | Copy-WpBackup -Destination $bucket {S3}", refused).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(backup.Sha256, copied.Sha256);
        Assert.Equal([BackupKeys.Sidecar("copyrefused.example", backup.Id), S3Backups.ArchiveKey("copyrefused.example", backup.Id, encrypted: false)], Objects(location));
    }

    /// <summary>What went to the bucket for the backup, in order: the archive, then the sidecar (refused), then the archive's deletion.</summary>
    private static void AssertArchivePutThenSidecarRefusedThenArchiveDeleted(RefusingS3Proxy proxy, S3Location location, string site, string id)
    {
        var archive = $"/{location.Bucket}/{location.ObjectKey(S3Backups.ArchiveKey(site, id, encrypted: false))}";
        var sidecar = $"/{location.Bucket}/{location.ObjectKey(BackupKeys.Sidecar(site, id))}";
        var requests = proxy.Requests;
        var put = requests.ToList().FindLastIndex(r => r == $"PUT {archive}");
        var refused = requests.ToList().FindIndex(r => r.StartsWith($"PUT {sidecar}", StringComparison.Ordinal));
        var deleted = requests.ToList().FindIndex(r => r == $"DELETE {archive}");
        Assert.True(put >= 0 && refused > put && deleted > refused, "requests: " + string.Join(" | ", requests));
        Assert.EndsWith("REFUSED", requests[refused], StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
