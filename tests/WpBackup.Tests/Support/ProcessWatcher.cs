using System.Text;

namespace WpBackup.Tests.Support;

/// <summary>
/// Samples the argv (/proc/PID/cmdline) and environment (/proc/PID/environ) of every other process on
/// the machine, over and over on a thread of its own until disposed, and records each process and part
/// in which a secret shows.
/// </summary>
public sealed class ProcessWatcher : IDisposable
{
    private static readonly string[] Parts = ["cmdline", "environ"];
    private readonly byte[] _secret;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly object _gate = new();
    private readonly List<Sighting> _sightings = [];
    private int _samples;

    public ProcessWatcher(string secret)
    {
        _secret = Encoding.UTF8.GetBytes(secret);
        _loop = Task.Factory.StartNew(Watch, TaskCreationOptions.LongRunning);
    }

    /// <summary>Where the secret showed: a process, "cmdline" or "environ", and that part's text.</summary>
    public sealed record Sighting(int Pid, string Part, string Text);

    public IReadOnlyList<Sighting> Sightings
    {
        get { lock (_gate) return [.. _sightings]; }
    }

    /// <summary>Full sweeps of /proc so far.</summary>
    public int Samples => Volatile.Read(ref _samples);

    /// <summary>Waits until the secret has been seen in process <paramref name="pid"/>; returns the parts it showed in (none at the time limit).</summary>
    public IReadOnlyList<string> WaitForSighting(int pid, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        lock (_gate)
        {
            while (!_sightings.Any(s => s.Pid == pid) && DateTime.UtcNow < deadline)
                Monitor.Wait(_gate, deadline - DateTime.UtcNow);
            return [.. _sightings.Where(s => s.Pid == pid).Select(s => s.Part)];
        }
    }

    private void Watch()
    {
        var self = Environment.ProcessId;
        while (!_stop.IsCancellationRequested)
        {
            foreach (var (pid, folder) in ProcessTable.All())
            {
                if (pid == self)
                    continue;
                foreach (var part in Parts)
                {
                    if (ProcessTable.Read(folder, part) is { } bytes && bytes.AsSpan().IndexOf(_secret) >= 0)
                        Record(new Sighting(pid, part, Encoding.UTF8.GetString(bytes).Replace('\0', ' ')));
                }
            }
            Interlocked.Increment(ref _samples);
        }
    }

    private void Record(Sighting sighting)
    {
        lock (_gate)
        {
            if (_sightings.Any(s => s.Pid == sighting.Pid && s.Part == sighting.Part))
                return;
            _sightings.Add(sighting);
            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
