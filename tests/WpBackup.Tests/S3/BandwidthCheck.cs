using Xunit.Abstractions;

namespace WpBackup.Tests.S3;

/// <summary>The timing checks of an upload under -MaxBandwidth, with margins that hold on a loaded machine (only a lower bound).</summary>
internal static class BandwidthCheck
{
    /// <summary>
    /// <paramref name="bytes"/> sent under a limit of <paramref name="rate"/> bytes per second took at least what the limit
    /// allows, and the same upload without the limit was faster.
    /// </summary>
    public static void HeldToLimit(long bytes, long rate, TimeSpan limited, TimeSpan unlimited, ITestOutputHelper output)
    {
        // The token bucket may save up an eighth of a second's worth before the upload starts; nothing else lets bytes pass faster.
        var floor = TimeSpan.FromSeconds((bytes - rate / 8.0) / rate);
        output.WriteLine($"{bytes:N0} bytes: limited to {rate:N0} B/s {limited.TotalSeconds:F2} s (floor {floor.TotalSeconds:F2} s), unlimited {unlimited.TotalSeconds:F2} s");
        Assert.True(limited >= floor, $"{bytes:N0} bytes at {rate:N0} B/s took {limited.TotalSeconds:F2} s, less than {floor.TotalSeconds:F2} s");
        Assert.True(unlimited < limited, $"unlimited {unlimited.TotalSeconds:F2} s, limited {limited.TotalSeconds:F2} s");
    }
}
