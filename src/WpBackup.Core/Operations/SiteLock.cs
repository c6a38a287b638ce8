using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Operations;

/// <summary>
/// One backup of a site at a time per destination: a lock file in the site's backup folder
/// naming the process that holds it. A lock whose process is gone (killed, crashed) is taken
/// over, and the work folders that run left behind are removed.
/// </summary>
/// <remarks>
/// Taking, taking over and releasing the lock happen while holding a guard: a named system
/// mutex for the site folder, which is released when its process dies. Without it,
/// two runs that both found the same dead lock could each take it over, the second moving away
/// the first one's fresh lock and deleting its work folder.
/// </remarks>
public sealed class SiteLock : IDisposable
{
    public const string FileName = ".wpbackup.lock";

    private static readonly TimeSpan GuardWait = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly string _token;
    private bool _released;

    private SiteLock(string path, string token)
    {
        _path = path;
        _token = token;
    }

    /// <param name="onStale">Told when a dead run's lock was taken over and its leftovers removed.</param>
    public static SiteLock Acquire(string siteFolder, string site, Action<string> onStale)
    {
        var path = Path.Combine(siteFolder, FileName);
        using var guard = Guard.Enter(siteFolder, site);
        var holder = LockHolder.Current();
        if (TryCreate(path, holder))
            return new SiteLock(path, holder.Token);

        // Inside the guard a lock file is never half-written by a live run: one that cannot be read was left by a crash.
        var previous = Read(path) ?? LockHolder.Unreadable(File.GetLastWriteTimeUtc(path));
        if (previous.IsAlive())
            throw new WpBackupException(FailureKind.Lock, "SiteLocked",
                $"{site} is locked by {previous}: another backup of it to '{siteFolder}' is running. Wait for it to finish; if it is gone, delete '{path}'.");
        File.Delete(path);
        if (!TryCreate(path, holder))
            throw new WpBackupException(FailureKind.Lock, "SiteLocked", $"Could not take the lock '{path}' for {site} after removing a dead run's lock.");
        var leftovers = RemoveWorkFolders(siteFolder);
        onStale($"{site}: took over the lock of {previous}, which is no longer running" +
                (leftovers > 0 ? $"; removed {leftovers} unfinished backup(s) it left behind." : "."));
        return new SiteLock(path, holder.Token);
    }

    /// <summary>Removes the lock file if it is still this run's (someone may have deleted and retaken it by hand).</summary>
    public void Dispose()
    {
        if (_released)
            return;
        _released = true;
        try
        {
            using var guard = Guard.Enter(Path.GetDirectoryName(_path)!, site: null);
            if (Read(_path)?.Token == _token)
                File.Delete(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or WpBackupException)
        {
            // The backup itself is done; a lock left behind is taken over by the next run as a dead run's.
        }
    }

    /// <summary>
    /// Held for the few milliseconds it takes to check and write the lock file. Takeovers only
    /// happen for a dead run of this machine (another machine's lock is always respected), so a
    /// mutex of this machine is enough. A run that dies holding it leaves it abandoned, which the
    /// next one takes.
    /// </summary>
    private sealed class Guard : IDisposable
    {
        private readonly Mutex _mutex;

        private Guard(Mutex mutex) => _mutex = mutex;

        public static Guard Enter(string siteFolder, string? site)
        {
            var key = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(siteFolder)));
            Mutex mutex;
            try
            {
                mutex = new Mutex(initiallyOwned: false, @"Global\wpbackup-site-" + Convert.ToHexString(key, 0, 16));
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException or WaitHandleCannotBeOpenedException)
            {
                throw new WpBackupException(FailureKind.Lock, "SiteLocked",
                    $"Cannot check the lock of {site ?? siteFolder}: the system mutex that guards it cannot be used ({e.Message}). Is another user backing up to the same folder?", e);
            }
            try
            {
                if (!mutex.WaitOne(GuardWait))
                    throw new WpBackupException(FailureKind.Lock, "SiteLocked",
                        $"Could not check the lock of {site ?? siteFolder} within {GuardWait.TotalSeconds:0} s: another run keeps it busy.");
            }
            catch (AbandonedMutexException)
            {
                // Its last holder died while checking the lock; the mutex is ours now.
            }
            catch
            {
                mutex.Dispose();
                throw;
            }
            return new Guard(mutex);
        }

        public void Dispose()
        {
            _mutex.ReleaseMutex();
            _mutex.Dispose();
        }
    }

    private static bool TryCreate(string path, LockHolder holder)
    {
        try
        {
            using var file = PrivatePaths.CreateFile(path);
            file.Write(JsonSerializer.SerializeToUtf8Bytes(holder));
            file.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static LockHolder? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<LockHolder>(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// What a run killed part-way leaves: its work folder, or an archive renamed into place whose
    /// sidecar was never written (never listed, so never a backup). Only called with the lock held.
    /// </summary>
    private static int RemoveWorkFolders(string siteFolder)
    {
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(siteFolder, BackupCatalog.WorkFolderPrefix + "*"))
        {
            PrivatePaths.DeleteFolder(folder);
            removed++;
        }
        foreach (var archive in Directory.EnumerateFiles(siteFolder, "*" + Archives.ArchiveLayout.ArchiveExtension))
        {
            if (!File.Exists(BackupCatalog.SidecarPathFor(archive)))
            {
                File.Delete(archive);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>Who holds a lock: enough to tell whether that process still runs, and to say so.</summary>
    private sealed class LockHolder
    {
        public int Pid { get; set; }
        public string Host { get; set; } = "";
        public DateTime Started { get; set; }
        /// <summary>The holder process's own start time, so a reused pid is not mistaken for it.</summary>
        public DateTime? ProcessStarted { get; set; }
        /// <summary>Tells this run's lock from a later one of the same process.</summary>
        public string Token { get; set; } = "";

        public static LockHolder Current()
        {
            using var self = Process.GetCurrentProcess();
            return new LockHolder
            {
                Pid = self.Id, Host = Environment.MachineName, Started = DateTime.UtcNow, ProcessStarted = self.StartTime.ToUniversalTime(),
                Token = Guid.NewGuid().ToString("N"),
            };
        }

        /// <summary>A lock file that holds no readable holder: a run crashed while writing it.</summary>
        public static LockHolder Unreadable(DateTime written) => new() { Pid = -1, Host = Environment.MachineName, Started = written };

        public bool IsAlive()
        {
            if (!string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
                return true; // another machine's run: we cannot tell, so we respect it
            if (Pid <= 0)
                return false;
            try
            {
                using var process = Process.GetProcessById(Pid);
                return ProcessStarted is not { } started || Math.Abs((process.StartTime.ToUniversalTime() - started).TotalSeconds) < 2;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        public override string ToString() =>
            $"pid {Pid} on {Host} since {Started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC";
    }
}
