using System.Collections.Concurrent;

namespace WpBackup.Core.Operations;

/// <summary>
/// Limits for backups running side by side, so one server is not hammered: at most so many
/// backups per host at once, and one database dump per database server at a time.
/// </summary>
public sealed class ConcurrencyGates(int perHost)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _databaseServers = new(StringComparer.OrdinalIgnoreCase);

    public int PerHost { get; } = perHost;

    public IDisposable EnterHost(string computerName, CancellationToken cancel) =>
        Enter(_hosts.GetOrAdd(computerName, _ => new SemaphoreSlim(PerHost)), cancel);

    /// <param name="server">Identifies a database server as seen from the site's host (host, port or socket).</param>
    public IDisposable EnterDatabaseServer(string server, CancellationToken cancel) =>
        Enter(_databaseServers.GetOrAdd(server, _ => new SemaphoreSlim(1)), cancel);

    private static IDisposable Enter(SemaphoreSlim gate, CancellationToken cancel)
    {
        gate.Wait(cancel);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                gate.Release();
        }
    }
}
