using System.Diagnostics;
using WpBackup.Tests.Support;
using Xunit.Abstractions;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.S3;

/// <summary>Copy-WpBackup -MaxBandwidth against the real s3rver: a copy into a bucket keeps to the limit.</summary>
[Collection("s3")]
public sealed class CopyWpBackupLimitTests(S3Fixture s3, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    /// <summary>Copies the backups of folder <paramref name="folder"/> into a fresh prefix, timed.</summary>
    private (BackupInfo Copy, TimeSpan Took) TimedCopy(string folder, string extra)
    {
        var vars = s3.CmdletVariables(s3.NewLocation(), ("d", folder));
        var clock = Stopwatch.StartNew();
        var copy = _ps.Run($"Get-WpBackup -Destination $d | Copy-WpBackup -Destination $bucket {S3Fixture.CmdletParameters} {extra}", vars)
            .ShouldSucceed().Single<BackupInfo>();
        return (copy, clock.Elapsed);
    }

    [Fact]
    public void MaxBandwidth_holds_a_copy_to_the_limit_and_without_it_the_same_copy_is_faster()
    {
        var root = MiniSite.Create(_temp.Combine("www", "slowcopy.example", "htdocs"));
        File.WriteAllBytes(Path.Combine(root, "wp-content", "uploads", "noise.bin"), S3TestData.Random(6_000_000, seed: 12)); // random bytes do not compress
        var folder = _temp.Combine("backups");
        var backup = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", new Dictionary<string, object?> { ["p"] = root, ["d"] = folder })
            .ShouldSucceed().Single<BackupInfo>();
        const long rate = 1024 * 1024;

        TimedCopy(folder, ""); // warm-up (JIT, the first S3 client), so neither measured run pays for it
        var (unlimited, unlimitedTook) = TimedCopy(folder, "");
        var (limited, limitedTook) = TimedCopy(folder, "-MaxBandwidth '1MB'");

        Assert.True(backup.Size > 6_000_000, $"archive of {backup.Size:N0} bytes");
        Assert.Equal(backup.Sha256, limited.Sha256);
        Assert.Equal(backup.Sha256, unlimited.Sha256);
        BandwidthCheck.HeldToLimit(backup.Size, rate, limitedTook, unlimitedTook, output);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
