using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using WpBackup.Core.Storage;
using WpBackup.Tests.Support;
using Xunit.Abstractions;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.S3;

/// <summary>
/// -MaxBandwidth and -UploadConcurrency of New-WpBackup against the real s3rver: the limits are per
/// destination, shared by every backup of the command that goes there.
/// </summary>
[Collection("s3")]
public sealed class S3UploadLimitCmdletTests(S3Fixture fixture, ITestOutputHelper output) : IDisposable
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

    /// <summary>A site whose archive is about <paramref name="bytes"/> long: random bytes do not compress.</summary>
    private string Site(string host, int bytes, int seed)
    {
        var root = MiniSite.Create(_temp.Combine("www", host, "htdocs"));
        File.WriteAllBytes(Path.Combine(root, "wp-content", "uploads", "noise.bin"), S3TestData.Random(bytes, seed));
        return root;
    }

    private (BackupInfo Backup, TimeSpan Took) TimedBackup(string root, string extra)
    {
        var location = fixture.NewLocation();
        var clock = Stopwatch.StartNew();
        var backup = _ps.Run($"New-WpBackup -Path $p -Type Files {S3} {extra}", Vars(location, ("p", root))).ShouldSucceed().Single<BackupInfo>();
        return (backup, clock.Elapsed);
    }

    [Fact]
    public void MaxBandwidth_holds_an_upload_to_the_limit_and_without_it_the_same_upload_is_faster()
    {
        var root = Site("slow.example", 6_000_000, seed: 11);
        const long rate = 1024 * 1024;

        TimedBackup(root, ""); // warm-up (JIT, the first S3 client), so neither measured run pays for it
        var (unlimited, unlimitedTook) = TimedBackup(root, "");
        var (limited, limitedTook) = TimedBackup(root, "-MaxBandwidth '1MB'");

        Assert.True(limited.Size > 6_000_000, $"archive of {limited.Size:N0} bytes");
        Assert.InRange(unlimited.Size, limited.Size - 4096, limited.Size + 4096); // the same files; only the manifest's times differ
        BandwidthCheck.HeldToLimit(limited.Size, rate, limitedTook, unlimitedTook, output);
    }

    [Fact]
    public void MaxBandwidth_takes_bytes_a_number_or_a_size_text_and_refuses_anything_else()
    {
        var location = fixture.NewLocation();
        var root = Site("sizes.example", 1000, seed: 3);
        var bad = _ps.Run($"New-WpBackup -Path $p -Type Files {S3} -MaxBandwidth 'lots'", Vars(location, ("p", root)));
        var error = Assert.Single(bad.Errors);
        Assert.Contains("MaxBandwidth", error.Exception.Message);
        Assert.Contains("'lots' is not a size", error.Exception.Message);
        Assert.Empty(bad.Output);

        var zero = _ps.Run($"New-WpBackup -Path $p -Type Files {S3} -MaxBandwidth 0", Vars(location, ("p", root)));
        Assert.Contains("MaxBandwidth", Assert.Single(zero.Errors).Exception.Message);

        foreach (var given in new[] { "10MB", "'10MB'", "'10 mb'", "10485760", "'10240KB'" })
        {
            var backup = _ps.Run($"New-WpBackup -Path $p -Type Files {S3} -MaxBandwidth {given} -Verbose", Vars(location, ("p", root))).ShouldSucceed();
            Assert.IsType<BackupInfo>(Assert.Single(backup.Output).BaseObject);
        }
        Assert.Equal(5, _ps.Run($"Get-WpBackup {S3}", Vars(location)).ShouldSucceed().Output.Count);
    }

    [Fact]
    public void UploadConcurrency_keeps_parallel_backups_to_one_bucket_to_that_many_multipart_uploads()
    {
        // Archives larger than one 16 MiB part go up as multipart uploads; the shared bandwidth limit
        // stretches them so that, unlimited, they overlap.
        var roots = Enumerable.Range(1, 3).Select(i => Site($"site{i}.example", 20 * 1024 * 1024, seed: 20 + i)).ToArray();
        const string parallel = "-ThrottleLimit 3 -ThrottleLimitPerHost 3 -MaxBandwidth 40MB";

        var limited = fixture.NewLocation();
        var one = _ps.Run($"$p | New-WpBackup -Type Files {S3} {parallel} -UploadConcurrency 1", Vars(limited, ("p", roots))).ShouldSucceed();
        Assert.Equal(3, one.Output.Count);
        output.WriteLine($"-UploadConcurrency 1: at most {MultipartUploadGauge.Peak($"s3://{limited.Bucket}/{limited.Prefix}")} multipart upload(s) open at once");
        Assert.Equal(1, MultipartUploadGauge.Peak($"s3://{limited.Bucket}/{limited.Prefix}"));
        Assert.Equal(3, _ps.Run($"Get-WpBackup {S3}", Vars(limited)).ShouldSucceed().Output.Count);

        var free = fixture.NewLocation();
        _ps.Run($"$p | New-WpBackup -Type Files {S3} {parallel}", Vars(free, ("p", roots))).ShouldSucceed();
        output.WriteLine($"no limit: at most {MultipartUploadGauge.Peak($"s3://{free.Bucket}/{free.Prefix}")} multipart upload(s) open at once");
        Assert.True(MultipartUploadGauge.Peak($"s3://{free.Bucket}/{free.Prefix}") >= 2, "without -UploadConcurrency the uploads should overlap");
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
