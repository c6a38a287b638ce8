using System.Management.Automation;
using System.Net;
using WpBackup.Core;
using WpBackup.Core.Storage;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.S3;

/// <summary>Copy-WpBackup from local folders to the real s3rver, through the real PowerShell engine.</summary>
[Collection("s3")]
public sealed class CopyWpBackupTests(S3Fixture fixture) : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    private Dictionary<string, object?> Vars(S3Location location, params (string Name, object? Value)[] values)
    {
        var vars = values.ToDictionary(v => v.Name, v => v.Value);
        vars["bucket"] = $"s3://{location.Bucket}/{location.Prefix}";
        vars["endpoint"] = fixture.Endpoint.ToString();
        vars["cred"] = new PSCredential(S3Fixture.AccessKey, new NetworkCredential("", S3Fixture.SecretKey).SecurePassword);
        return vars;
    }

    private const string S3 = "-S3Endpoint $endpoint -S3Credential $cred";

    private static List<string> Keys(S3Location location)
    {
        using var store = new S3BackupStore(location);
        return store.List().Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void Copies_local_backups_skips_those_already_there_and_the_copies_restore()
    {
        var location = fixture.NewLocation();
        var root = MiniSite.Create(_temp.Combine("www", "copy.example", "htdocs"));
        var before = TreeSnapshot.Take(root);
        var dest = _temp.Combine("backups");
        var first = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", Vars(location, ("p", root), ("d", dest))).ShouldSucceed().Single<BackupInfo>();
        Thread.Sleep(1100);
        var second = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", Vars(location, ("p", root), ("d", dest))).ShouldSucceed().Single<BackupInfo>();

        var whatIf = _ps.Run($"Get-WpBackup -Destination $d | Copy-WpBackup -Destination $bucket {S3} -WhatIf", Vars(location, ("d", dest))).ShouldSucceed();
        Assert.Empty(whatIf.Output);
        Assert.Empty(Keys(location));

        var copied = _ps.Run($"Get-WpBackup -Destination $d | Copy-WpBackup -Destination $bucket {S3}", Vars(location, ("d", dest)))
            .ShouldSucceed().All<BackupInfo>().ToList();
        Assert.Equal([first.Id, second.Id], copied.Select(b => b.Id));
        Assert.Equal(new[] { first.Id, second.Id }.SelectMany(id => new[] { $"copy.example/{id}.json", $"copy.example/{id}.tar.zst" }).Order(StringComparer.Ordinal), Keys(location));
        Assert.Equal(first.Sha256, copied[0].Sha256);

        var again = _ps.Run($"Get-WpBackup -Destination $d | Copy-WpBackup -Destination $bucket {S3} -Verbose", Vars(location, ("d", dest))).ShouldSucceed();
        Assert.Equal(2, again.Verbose.Count(v => v.Contains("skipped", StringComparison.Ordinal)));

        Directory.Delete(root, recursive: true);
        _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Newest 1 | Restore-WpBackup -Confirm:$false", Vars(location)).ShouldSucceed();
        Assert.Equal(before, TreeSnapshot.Take(root));
    }

    [Fact]
    public void An_archive_that_no_longer_matches_its_sidecar_is_not_copied()
    {
        var location = fixture.NewLocation();
        var root = MiniSite.Create(_temp.Combine("www", "bad.example", "htdocs"));
        var dest = _temp.Combine("backups");
        var backup = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", Vars(location, ("p", root), ("d", dest))).ShouldSucceed().Single<BackupInfo>();
        var bytes = File.ReadAllBytes(backup.Path);
        bytes[^5] ^= 1;
        File.WriteAllBytes(backup.Path, bytes);

        var result = _ps.Run($"Get-WpBackup -Destination $d | Copy-WpBackup -Destination $bucket {S3}", Vars(location, ("d", dest)));
        Assert.StartsWith("CopySourceMismatch", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Empty(Keys(location));
    }

    [Fact]
    public void Copying_reports_progress_over_all_the_bytes_for_one_activity_and_completes_it()
    {
        var location = fixture.NewLocation();
        var root = MiniSite.Create(_temp.Combine("www", "progress.example", "htdocs"));
        File.WriteAllBytes(Path.Combine(root, "wp-content", "uploads", "photo.bin"), S3TestData.Random(3_000_000, seed: 9));
        var dest = _temp.Combine("backups");
        _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d -CompressionLevel 1", Vars(location, ("p", root), ("d", dest))).ShouldSucceed();
        Thread.Sleep(1100);
        _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d -CompressionLevel 1", Vars(location, ("p", root), ("d", dest))).ShouldSucceed();

        var result = _ps.Run($"Get-WpBackup -Destination $d | Copy-WpBackup -Destination $bucket {S3}", Vars(location, ("d", dest))).ShouldSucceed();

        var bucket = $"s3://{location.Bucket}/{location.Prefix}";
        var records = result.Progress.Where(p => p.Activity == $"Copying backups to {bucket}").ToList();
        var running = records.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.True(running.Count >= 4, $"{running.Count} progress records");
        Assert.Equal(running.Select(p => p.PercentComplete).Order(), running.Select(p => p.PercentComplete)); // never goes back
        Assert.InRange(running[0].PercentComplete, 0, 1);
        Assert.Equal(100, running[^1].PercentComplete);
        Assert.Contains(running, p => p.StatusDescription.EndsWith("(1 of 2)", StringComparison.Ordinal) && p.PercentComplete is > 0 and < 50);
        Assert.Contains(running, p => p.StatusDescription.EndsWith("(2 of 2)", StringComparison.Ordinal) && p.PercentComplete is > 50 and < 100);
        Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
