using WpBackup.Core.Threading;

namespace WpBackup.Tests.Logic;

/// <summary>
/// Backups side by side (New-WpBackup -ThrottleLimit) run on threads of their own, at most the
/// limit at once, in the order given. When each of them waited on a thread-pool thread, 200 small
/// remote sites took minutes: the pool adds a thread about once a second when all are blocked.
/// </summary>
public sealed class SideBySideTests
{
    [Fact]
    public void At_most_the_limit_run_at_once_and_every_item_runs_once_on_a_thread_of_its_own()
    {
        const int Items = 40, Limit = 4;
        var running = 0;
        var peak = 0;
        var ran = new int[Items];
        var onPoolThreads = 0;
        var work = Enumerable.Range(0, Items).Select(i => new Func<int>(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            if (Thread.CurrentThread.IsThreadPoolThread)
                Interlocked.Increment(ref onPoolThreads);
            Interlocked.Increment(ref ran[i]);
            Thread.Yield();
            Interlocked.Decrement(ref running);
            return i * i;
        })).ToList();

        var outcomes = SideBySide.Start(work, Limit, CancellationToken.None);

        Assert.True(Task.WaitAll([.. outcomes], TimeSpan.FromSeconds(30)));
        Assert.Equal(Enumerable.Range(0, Items).Select(i => i * i), outcomes.Select(o => o.Result));
        Assert.All(ran, count => Assert.Equal(1, count));
        Assert.InRange(peak, 1, Limit);
        Assert.Equal(0, onPoolThreads);
    }

    [Fact]
    public void The_limit_is_reached_even_when_every_thread_pool_thread_is_busy()
    {
        const int Limit = 6;
        using var allStarted = new CountdownEvent(Limit);
        using var release = new ManualResetEventSlim();
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        // Occupy every thread the pool starts without delay; blocked work on the pool would now wait for new threads.
        using var poolBusy = new ManualResetEventSlim();
        var blockers = Enumerable.Range(0, minWorkers).Select(_ => Task.Run(() => poolBusy.Wait())).ToList();
        try
        {
            var work = Enumerable.Range(0, Limit).Select(i => new Func<int>(() =>
            {
                allStarted.Signal();
                release.Wait();
                return i;
            })).ToList();

            var outcomes = SideBySide.Start(work, Limit, CancellationToken.None);

            Assert.True(allStarted.Wait(TimeSpan.FromMilliseconds(300)), $"{Limit - allStarted.CurrentCount} of {Limit} started within 300 ms");
            release.Set();
            Assert.True(Task.WaitAll([.. outcomes], TimeSpan.FromSeconds(30)));
        }
        finally
        {
            release.Set();
            poolBusy.Set();
            Task.WaitAll([.. blockers]);
        }
    }

    [Fact]
    public void A_failing_item_fails_alone_and_after_cancellation_the_rest_fail_as_cancelled()
    {
        var work = new List<Func<string>> { () => "a", () => throw new InvalidOperationException("b failed"), () => "c" };
        var outcomes = SideBySide.Start(work, 2, CancellationToken.None);
        Assert.True(Task.WaitAll([outcomes[0], outcomes[2]], TimeSpan.FromSeconds(30)));
        Assert.Equal("b failed", Assert.Throws<AggregateException>(() => outcomes[1].Wait()).InnerException!.Message);

        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var cancelled = SideBySide.Start(work, 2, cancel.Token);
        Assert.All(cancelled, o => Assert.IsType<OperationCanceledException>(Assert.Throws<AggregateException>(() => o.Wait()).InnerException));
        Assert.All(cancelled, o => Assert.NotNull(o.Exception));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
