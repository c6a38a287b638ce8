namespace WpBackup.Core.Threading;

/// <summary>
/// Runs work items side by side on at most a given number of threads, taking them in the order
/// given; each item's outcome is a task at the item's index. A worker takes the next item only
/// when it is free, so nothing waits blocked in a queue for a slot.
/// </summary>
public static class SideBySide
{
    public static IReadOnlyList<Task<T>> Start<T>(IReadOnlyList<Func<T>> work, int limit, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var outcomes = work.Select(_ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var next = -1;
        for (var worker = 0; worker < Math.Min(limit, work.Count); worker++)
        {
            BlockingWork.Start(() =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < work.Count)
                {
                    try
                    {
                        cancel.ThrowIfCancellationRequested();
                        outcomes[index].SetResult(work[index]());
                    }
                    catch (Exception e)
                    {
                        outcomes[index].SetException(e);
                    }
                }
            });
        }
        return outcomes.Select(o => o.Task).ToArray();
    }
}
