using System.Collections.Concurrent;

namespace WpBackup.Core.Storage;

/// <summary>
/// Counts the multipart uploads open on the server per location (from a successful
/// CreateMultipartUpload until it is completed or aborted) and the most seen at once: what a
/// concurrency limit is judged by, since s3rver cannot list in-progress uploads.
/// </summary>
internal static class MultipartUploadGauge
{
    private static readonly ConcurrentDictionary<string, Counter> Counters = new(StringComparer.Ordinal);

    public static void Opened(S3Location location)
    {
        var counter = Counters.GetOrAdd(Name(location), _ => new Counter());
        lock (counter)
        {
            counter.Open++;
            counter.Peak = Math.Max(counter.Peak, counter.Open);
        }
    }

    public static void Closed(S3Location location)
    {
        if (!Counters.TryGetValue(Name(location), out var counter))
            return;
        lock (counter)
            counter.Open--;
    }

    /// <summary>The most multipart uploads that were open at once under <paramref name="locationUrl"/> (s3://bucket/prefix).</summary>
    public static int Peak(string locationUrl) => Counters.TryGetValue(locationUrl.TrimEnd('/'), out var counter) ? counter.Peak : 0;

    private static string Name(S3Location location) => location.UrlOf("").TrimEnd('/');

    private sealed class Counter
    {
        public int Open;
        public int Peak;
    }
}
