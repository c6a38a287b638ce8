using WpBackup.Core.Reporting;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Logic;

public sealed class LogFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Lines_are_timestamped_private_and_rotated_keeping_the_newest_files()
    {
        var path = _temp.Combine("logs", "wpbackup.log");
        var log = new LogFile(path, maxBytes: 1000, keep: 2);
        for (var i = 0; i < 60; i++)
            log.Write("VERBOSE", $"line {i:00} " + new string('x', 40));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.True(new FileInfo(path).Length <= 1000);
        Assert.True(File.Exists(path + ".1"));
        Assert.True(File.Exists(path + ".2"));
        Assert.False(File.Exists(path + ".3"));
        var newest = File.ReadAllLines(path);
        Assert.EndsWith("line 59 " + new string('x', 40), newest[^1]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d VERBOSE line", newest[0]);
        var all = File.ReadAllLines(path + ".2").Concat(File.ReadAllLines(path + ".1")).Concat(newest).ToList();
        Assert.Equal(all.OrderBy(l => l, StringComparer.Ordinal), all); // oldest file first, in order, nothing interleaved
    }

    public void Dispose() => _temp.Dispose();
}
