namespace WpBackup.Core.Storage;

/// <summary>
/// The upload limits of one destination: its bandwidth, how many uploads run at once and how many
/// parts are sent at once. Every store opened with settings that carry the same throttle (see
/// <see cref="S3Settings.Shared"/>) shares them, so backups running side by side to one bucket
/// together stay within them; a store without one gets its own.
/// </summary>
public sealed class S3Throttle
{
    private readonly SemaphoreSlim? _uploads;

    public S3Throttle(S3Settings settings)
    {
        settings.Validate();
        Limiter = settings.MaxBytesPerSecond is { } rate ? new BandwidthLimiter(rate) : null;
        PartSlots = new SemaphoreSlim(settings.MaxConcurrentPartUploads);
        MaxConcurrentUploads = settings.MaxConcurrentUploads;
        _uploads = settings.MaxConcurrentUploads is { } most ? new SemaphoreSlim(most) : null;
    }

    public BandwidthLimiter? Limiter { get; }

    internal SemaphoreSlim PartSlots { get; }

    /// <summary>Archive uploads that may run at once; null: no limit.</summary>
    public int? MaxConcurrentUploads { get; }

    /// <summary>Waits for an upload's turn; disposing the result ends it (once).</summary>
    internal IDisposable EnterUpload(CancellationToken cancel)
    {
        if (_uploads is null)
            return new Turn(null);
        _uploads.Wait(cancel);
        return new Turn(_uploads);
    }

    private sealed class Turn(SemaphoreSlim? gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                gate?.Release();
        }
    }
}
