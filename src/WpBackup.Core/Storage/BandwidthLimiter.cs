using System.Diagnostics;

namespace WpBackup.Core.Storage;

/// <summary>
/// A token bucket in bytes: <see cref="Take"/> blocks until the bytes fit under the rate. It starts
/// empty and saves up at most a fraction of a second's worth while idle, so over any stretch of
/// time at most about <c>rate × seconds</c> bytes pass. Thread-safe; shared by a store's uploads.
/// </summary>
public sealed class BandwidthLimiter
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double _capacity;
    private double _tokens;
    private double _lastRefill;

    public BandwidthLimiter(long bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerSecond);
        BytesPerSecond = bytesPerSecond;
        _capacity = Math.Max(64 * 1024, bytesPerSecond / 8.0);
    }

    public long BytesPerSecond { get; }

    /// <summary>Waits until <paramref name="bytes"/> may pass. Large takes run into debt and wait it off.</summary>
    public void Take(long bytes, CancellationToken cancel = default)
    {
        if (bytes <= 0)
            return;
        TimeSpan wait;
        lock (_gate)
        {
            var now = _clock.Elapsed.TotalSeconds;
            _tokens = Math.Min(_capacity, _tokens + (now - _lastRefill) * BytesPerSecond);
            _lastRefill = now;
            _tokens -= bytes;
            wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / BytesPerSecond);
        }
        if (wait > TimeSpan.Zero && cancel.WaitHandle.WaitOne(wait))
            cancel.ThrowIfCancellationRequested();
    }
}
