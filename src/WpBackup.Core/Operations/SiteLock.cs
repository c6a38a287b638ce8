using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Operations;

/// <summary>
/// One backup of a site at a time per destination: a lock file in the site's backup folder
/// naming the process that holds it. A lock whose process is gone (killed, crashed) is taken
/// over, and the work folders that run left behind are removed.
/// </summary>
public sealed class SiteLock : IDisposable
{
    public const string FileName = ".wpbackup.lock";

    private readonly string _path;
    private bool _released;

    private SiteLock(string path) => _path = path;

    /// <param name="onStale">Told when a dead run's lock was taken over and its leftovers removed.</param>
    public static SiteLock Acquire(string siteFolder, string site, Action<string> onStale)
    {
        var path = Path.Combine(siteFolder, FileName);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (TryCreate(path))
                return new SiteLock(path);
            var holder = Read(path);
            if (holder is null)
                continue; // released meanwhile, or being written: try again
            if (holder.IsAlive())
                throw new WpBackupException(FailureKind.Lock, "SiteLocked",
                    $"{site} is locked by {holder}: another backup of it to '{siteFolder}' is running. Wait for it to finish; if it is gone, delete '{path}'.");
            var stale = path + "." + Guid.NewGuid().ToString("N");
            try
            {
                File.Move(path, stale); // only one run can move the same stale lock
            }
            catch (FileNotFoundException)
            {
                continue;
            }
            File.Delete(stale);
            var leftovers = RemoveWorkFolders(siteFolder);
            onStale($"{site}: took over the lock of {holder}, which is no longer running" +
                    (leftovers > 0 ? $"; removed {leftovers} unfinished backup(s) it left behind." : "."));
        }
        throw new WpBackupException(FailureKind.Lock, "SiteLocked", $"Could not take the lock '{path}' for {site}; another run keeps changing it.");
    }

    public void Dispose()
    {
        if (_released)
            return;
        _released = true;
        try { File.Delete(_path); }
        catch (IOException) { }
    }

    private static bool TryCreate(string path)
    {
        try
        {
            using var file = PrivatePaths.CreateFile(path);
            file.Write(JsonSerializer.SerializeToUtf8Bytes(LockHolder.Current()));
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
            // Missing, or caught half-written: treat an unreadable lock older than a minute as stale.
            return File.Exists(path) && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > TimeSpan.FromMinutes(1)
                ? new LockHolder { Pid = -1, Host = Environment.MachineName, Started = File.GetLastWriteTimeUtc(path) }
                : null;
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

        public static LockHolder Current()
        {
            using var self = Process.GetCurrentProcess();
            return new LockHolder { Pid = self.Id, Host = Environment.MachineName, Started = DateTime.UtcNow, ProcessStarted = self.StartTime.ToUniversalTime() };
        }

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
