using System.Diagnostics;

namespace WpBackup.Tests.Support;

/// <summary>Waits for a condition on state nothing announces (a kernel table, a server's counters) by reading it again until it holds.</summary>
public static class Poll
{
    /// <returns>The value read that met the condition; fails the test after 30 s.</returns>
    public static T Until<T>(Func<T> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        T now;
        while (!done(now = read()))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting for {what}: last read {now}");
            Thread.Sleep(20); // the condition, not the delay, ends the wait
        }
        return now;
    }
}
