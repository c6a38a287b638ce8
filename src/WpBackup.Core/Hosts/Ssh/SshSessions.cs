namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// One SSH connection per server (user, host, port, credentials), shared by discovery, every
/// site on it, the dump and the files, for the life of the process. A connection that dropped
/// is replaced on next use.
/// </summary>
public static class SshSessions
{
    private static readonly Dictionary<string, SshHost> Open = new(StringComparer.Ordinal);
    private static int _opened;

    static SshSessions() => AppDomain.CurrentDomain.ProcessExit += (_, _) => CloseAll();

    /// <summary>How many connections this process has opened, for tests of reuse.</summary>
    public static int ConnectionsOpened => Volatile.Read(ref _opened);

    public static SshHost Get(SshTarget target, Action<string> warn)
    {
        lock (Open)
        {
            if (Open.TryGetValue(target.ConnectionKey, out var host))
            {
                if (host.IsConnected)
                    return host;
                host.Dispose();
                Open.Remove(target.ConnectionKey);
            }
            var client = SshConnector.Connect(target, warn);
            Interlocked.Increment(ref _opened);
            host = new SshHost(target, client);
            Open[target.ConnectionKey] = host;
            return host;
        }
    }

    public static void CloseAll()
    {
        lock (Open)
        {
            foreach (var host in Open.Values)
                host.Dispose();
            Open.Clear();
        }
    }
}
