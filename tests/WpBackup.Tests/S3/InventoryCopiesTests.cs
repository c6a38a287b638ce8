using System.Management.Automation;
using System.Net;
using System.Security.Cryptography;
using WpBackup.Core;
using WpBackup.Core.Storage;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.S3;

/// <summary>
/// An inventory site with copies: Get-WpSite | New-WpBackup makes the backup in its destination and
/// copies it to a bucket on the real s3rver and to a second folder, in one go.
/// </summary>
[Collection("s3")]
public sealed class InventoryCopiesTests(S3Fixture fixture) : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    private string Site(string name)
    {
        var root = MiniSite.Create(_temp.Combine("www", name, "htdocs"));
        File.WriteAllBytes(Path.Combine(root, "wp-content", "uploads", "photo.bin"), S3TestData.Random(3_000_000, seed: 5));
        return root;
    }

    private string Inventory(string yaml)
    {
        var path = _temp.Combine("config", "inventory.yml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] values)
    {
        var vars = values.ToDictionary(v => v.Name, v => v.Value);
        vars["endpoint"] = fixture.Endpoint.ToString();
        vars["cred"] = new PSCredential(S3Fixture.AccessKey, new NetworkCredential("", S3Fixture.SecretKey).SecurePassword);
        return vars;
    }

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();

    [Fact]
    public void New_WpBackup_makes_the_backup_then_copies_it_to_every_destination_the_inventory_names()
    {
        var root = Site("copied.example");
        var location = fixture.NewLocation();
        var bucket = $"s3://{location.Bucket}/{location.Prefix}";
        var primary = _temp.Combine("backups");
        var nas = _temp.Combine("nas");
        var inventory = Inventory($$"""
            sites:
              - name: copied
                root: {{root}}
                destination: {{primary}}
                copies:
                  - destination: {{bucket}}
                    s3: {endpoint: '{{fixture.Endpoint}}', profile: wpbackup}
                  - {{nas}}
            """);

        var run = _ps.Run("Get-WpSite -ConfigPath $inv | New-WpBackup -Type Files -Verbose", Vars(("inv", inventory))).ShouldSucceed();
        var backup = run.Single<BackupInfo>();

        Assert.Equal(Path.Combine(primary, "copied", backup.Id + ".tar.zst"), backup.Path);
        Assert.Equal([$"{bucket}/copied/{backup.Id}.tar.zst", Path.Combine(nas, "copied", backup.Id + ".tar.zst")], backup.Copies);
        Assert.Contains(run.Verbose, v => v.Contains($"copied {backup.Size:N0} bytes to {bucket}/copied/{backup.Id}.tar.zst", StringComparison.Ordinal));

        // the bucket's copy, read by an independent client, and as Get-WpBackup lists it
        Assert.Equal((backup.Sha256.ToUpperInvariant(), backup.Size),
            S3TestData.HashWithMinio(fixture.Minio(), S3Fixture.Bucket, location.ObjectKey($"copied/{backup.Id}.tar.zst")));
        var inBucket = _ps.Run("Get-WpBackup -Destination $d -S3Endpoint $endpoint -S3Credential $cred", Vars(("d", bucket))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal((backup.Id, backup.Sha256, backup.Size), (inBucket.Id, inBucket.Sha256, inBucket.Size));
        var test = _ps.Run("Get-WpBackup -Destination $d -S3Endpoint $endpoint -S3Credential $cred | Test-WpBackup", Vars(("d", bucket))).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(test.Passed, string.Join("; ", test.Problems));

        // the folder's copy: the same bytes, private, listed
        var copy = Path.Combine(nas, "copied", backup.Id + ".tar.zst");
        Assert.Equal(backup.Sha256, Sha256(copy));
        Assert.Equal(File.ReadAllBytes(backup.SidecarPath), File.ReadAllBytes(Path.Combine(nas, "copied", backup.Id + ".json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(copy));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(nas, "copied")));
        Assert.Equal(backup.Id, Assert.Single(new BackupCatalog(nas).List()).Id);
        Assert.Equal([backup.Id + ".json", backup.Id + ".tar.zst", "copied"],
            Directory.EnumerateFileSystemEntries(nas, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_failed_copy_is_an_error_naming_its_destination_and_the_backup_and_the_other_copies_stand()
    {
        var root = Site("half.example");
        var primary = _temp.Combine("backups");
        var nas = _temp.Combine("nas");
        const string missing = "s3://no-such-bucket-here/wp";
        var inventory = Inventory($$"""
            defaults:
              s3: {endpoint: '{{fixture.Endpoint}}', profile: wpbackup}
            sites:
              - name: half
                root: {{root}}
                destination: {{primary}}
                copies: [{{missing}}, {{nas}}]
            """);

        var run = _ps.Run("Get-WpSite -ConfigPath $inv | New-WpBackup -Type Files", Vars(("inv", inventory)));

        var backup = run.Single<BackupInfo>();
        var error = Assert.Single(run.Errors);
        Assert.Equal("BackupCopyFailed,WpBackup.Cmdlets.Commands.NewWpBackupCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"copying it to '{missing}' failed", error.Exception.Message);
        Assert.Contains("no-such-bucket-here", error.Exception.InnerException!.Message);
        Assert.Equal(backup.Path, ((BackupInfo)error.TargetObject).Path);
        Assert.Equal([Path.Combine(nas, "half", backup.Id + ".tar.zst")], backup.Copies);

        // the backup is whole where it was made
        var listed = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup", Vars(("d", primary))).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(listed.Passed, string.Join("; ", listed.Problems));
        Assert.Equal(backup.Id, Assert.Single(new BackupCatalog(nas).List()).Id);
    }

    [Fact]
    public void With_ThrottleLimit_each_site_is_copied_as_it_finishes_and_a_failed_copy_names_its_site_and_destination()
    {
        var location = fixture.NewLocation();
        var bucket = $"s3://{location.Bucket}/{location.Prefix}";
        var primary = _temp.Combine("backups");
        var inventory = Inventory($$"""
            defaults:
              destination: {{primary}}
              s3: {endpoint: '{{fixture.Endpoint}}', profile: wpbackup}
              copies: [{{bucket}}]
            sites:
              - {name: one, root: {{Site("one.example")}}}
              - {name: two, root: {{Site("two.example")}}}
              - {name: three, root: {{Site("three.example")}}, copies: ['s3://no-such-bucket-here/three']}
            """);

        var run = _ps.Run("Get-WpSite -ConfigPath $inv | New-WpBackup -Type Files -ThrottleLimit 3 -ThrottleLimitPerHost 3 -UploadConcurrency 2", Vars(("inv", inventory)));

        var backups = run.All<BackupInfo>().ToList();
        Assert.Equal(["one", "two", "three"], backups.Select(b => b.Site));
        Assert.Equal([$"{bucket}/one/{backups[0].Id}.tar.zst"], backups[0].Copies);
        Assert.Equal([$"{bucket}/two/{backups[1].Id}.tar.zst"], backups[1].Copies);
        Assert.Empty(backups[2].Copies);
        var error = Assert.Single(run.Errors);
        Assert.Equal("BackupCopyFailed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains($"Backup three/{backups[2].Id} is made and kept in {primary}, but copying it to 's3://no-such-bucket-here/three' failed", error.Exception.Message);
        var inBucket = _ps.Run("Get-WpBackup -Destination $d -S3Endpoint $endpoint -S3Credential $cred", Vars(("d", bucket))).ShouldSucceed().All<BackupInfo>();
        Assert.Equal(["one", "two"], inBucket.Select(b => b.Site).Order(StringComparer.Ordinal));
        Assert.Equal(3, new BackupCatalog(primary).List().Count);
    }

    [Fact]
    public void A_bucket_destination_of_the_inventory_is_reached_with_its_s3_settings_for_backups_and_retention()
    {
        var root = Site("bucketed.example");
        var location = fixture.NewLocation();
        var bucket = $"s3://{location.Bucket}/{location.Prefix}";
        var inventory = Inventory($$"""
            sites:
              - name: bucketed
                root: {{root}}
                destination: {{bucket}}
                s3: {endpoint: '{{fixture.Endpoint}}', region: us-east-1, pathStyle: true, profile: wpbackup}
                retention: {keepLast: 1}
            """);

        var first = _ps.Run("Get-WpSite -ConfigPath $inv | New-WpBackup -Type Files", Vars(("inv", inventory))).ShouldSucceed().Single<BackupInfo>();
        var second = _ps.Run("Get-WpSite -ConfigPath $inv | New-WpBackup -Type Files", Vars(("inv", inventory))).ShouldSucceed().Single<BackupInfo>();
        Assert.StartsWith($"{bucket}/bucketed/", first.Path);
        Assert.Equal(bucket, second.Location);

        _ps.Run("Remove-WpBackup -Site bucketed -InventoryPolicy -ConfigPath $inv -Confirm:$false", Vars(("inv", inventory))).ShouldSucceed();

        var left = _ps.Run("Get-WpBackup -Destination $d -S3Endpoint $endpoint -S3Credential $cred", Vars(("d", bucket))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(second.Id, left.Id);
        Assert.False(S3TestData.ExistsWithMinio(fixture.Minio(), S3Fixture.Bucket, location.ObjectKey($"bucketed/{first.Id}.tar.zst")));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
