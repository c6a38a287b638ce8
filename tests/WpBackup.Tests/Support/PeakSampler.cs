namespace WpBackup.Tests.Support;

/// <summary>Takes samples of named counts on a thread of its own, every 20 ms until stopped, and keeps each count's highest value.</summary>
public sealed class PeakSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<(Dictionary<string, int> Peaks, int Samples)> _task;

    public PeakSampler(Func<IReadOnlyDictionary<string, int>> sample)
    {
        _task = Task.Factory.StartNew(() =>
        {
            var peaks = new Dictionary<string, int>();
            var samples = 0;
            while (!_stop.IsCancellationRequested)
            {
                foreach (var (name, count) in sample())
                    peaks[name] = Math.Max(peaks.GetValueOrDefault(name), count);
                samples++;
                _stop.Token.WaitHandle.WaitOne(20);
            }
            return (peaks, samples);
        }, TaskCreationOptions.LongRunning);
    }

    /// <summary>Stops sampling; returns each count's highest value (0 when never seen) and how many samples were taken.</summary>
    public (Func<string, int> Peak, int Samples) Stop()
    {
        _stop.Cancel();
        var (peaks, samples) = _task.GetAwaiter().GetResult();
        return (name => peaks.GetValueOrDefault(name), samples);
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _task.Wait(); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
