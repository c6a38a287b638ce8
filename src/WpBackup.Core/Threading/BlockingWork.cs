namespace WpBackup.Core.Threading;

/// <summary>
/// Starts work that blocks (reading a process's output, waiting for a dump, a whole backup) on
/// a thread of its own. On the thread pool such work would wait for the pool to add threads,
/// about one a second once it is exhausted: with many backups side by side, minutes of nothing.
/// </summary>
public static class BlockingWork
{
    public static Task<T> Start<T>(Func<T> work, CancellationToken cancel = default) =>
        Task.Factory.StartNew(work, cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static Task Start(Action work, CancellationToken cancel = default) =>
        Task.Factory.StartNew(work, cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
