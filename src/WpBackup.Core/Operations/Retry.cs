using WpBackup.Core.Errors;

namespace WpBackup.Core.Operations;

/// <summary>
/// Runs work again after failures that tend to pass (a server not answering yet, a dropped
/// connection, a busy database), waiting twice as long each time. A failed attempt leaves
/// nothing behind, so trying again is safe.
/// </summary>
public static class Retry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(2);

    private static readonly HashSet<string> TransientIds = new(StringComparer.Ordinal)
    {
        "SshHostUnreachable", "SshConnectionLost", "SshConnectionFailed", "RemoteTarFailed",
        "DatabaseUnreachable", "DatabaseBusy",
    };

    public static bool IsTransient(Exception e) => e is WpBackupException { ErrorId: var id } && TransientIds.Contains(id);

    /// <param name="attempt">The work, given the number of the attempt (0 for the first).</param>
    public static T Run<T>(Func<int, T> attempt, int retries, Action<string> log, CancellationToken cancel, TimeSpan? firstDelay = null)
    {
        var delay = firstDelay ?? FirstDelay;
        for (var number = 0; ; number++)
        {
            try
            {
                return attempt(number);
            }
            catch (Exception e) when (number < retries && IsTransient(e) && !cancel.IsCancellationRequested)
            {
                log($"attempt {number + 1} of {retries + 1} failed ({e.Message}); trying again in {delay.TotalSeconds:0.#} s");
                cancel.WaitHandle.WaitOne(delay);
                cancel.ThrowIfCancellationRequested();
                delay *= 2;
            }
        }
    }
}
