using WpBackup.Core;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;
using Xunit.Abstractions;

namespace WpBackup.Tests.Faults;

/// <summary>
/// Power-loss ordering, read off the system calls of a real backup (strace): the archive's data
/// reaches the disk before it is renamed into place, the folder's new entry before the sidecar is
/// written, and the sidecar's data before its own rename, which is flushed last. A power cut at
/// any point then leaves no sidecar naming an archive that is not whole.
/// </summary>
public sealed class DurabilityOrderTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void A_backup_flushes_archive_rename_and_sidecar_to_disk_in_that_order()
    {
        var root = MiniSite.Create(_temp.Combine("www", "durable.example", "htdocs"));
        var dest = _temp.Combine("backups");
        var trace = _temp.Combine("strace.txt");

        var (exit, _, stderr) = Processes.Run("strace", "-f", "-qq", "-y", "-e", "trace=rename,renameat,renameat2,fsync,fdatasync", "-o", trace,
            "-E", "DOTNET_ROOT=" + ShellProcess.DotnetRoot(),
            ShellProcess.ExecutablePath, "-Command", $"New-WpBackup -Path '{root}' -Type Files -Destination '{dest}'");
        Assert.True(exit == 0, stderr);

        var siteFolder = Path.Combine(dest, "durable.example");
        var archive = Assert.Single(Directory.GetFiles(siteFolder, "*.tar.zst"));
        var id = Path.GetFileName(archive)[..^".tar.zst".Length];
        var work = Path.Combine(siteFolder, BackupCatalog.WorkFolderPrefix + id);
        var calls = File.ReadAllLines(trace).Where(l => !l.Contains("resumed>", StringComparison.Ordinal)).ToList();
        output.WriteLine(string.Join('\n', calls.Where(l => l.Contains(dest, StringComparison.Ordinal))));

        var archiveFlushed = Find(calls, 0, $"fsync(", $"<{work}/{id}.tar.zst>");
        var archiveRenamed = Find(calls, archiveFlushed, $"rename(\"{work}/{id}.tar.zst\", \"{siteFolder}/{id}.tar.zst\")");
        var archiveEntryFlushed = Find(calls, archiveRenamed, "fsync(", $"<{siteFolder}>");
        var sidecarFlushed = Find(calls, archiveEntryFlushed, "fsync(", $"<{work}/{id}.json>");
        var sidecarRenamed = Find(calls, sidecarFlushed, $"rename(\"{work}/{id}.json\", \"{siteFolder}/{id}.json\")");
        Find(calls, sidecarRenamed, "fsync(", $"<{siteFolder}>");
        Find(calls, 0, "fsync(", $"<{dest}>"); // the new site folder's own entry
    }

    /// <returns>The index of the first call after <paramref name="after"/> whose line holds every part.</returns>
    private static int Find(List<string> calls, int after, params string[] parts)
    {
        var index = calls.FindIndex(after, c => parts.All(p => c.Contains(p, StringComparison.Ordinal)));
        Assert.True(index >= 0, $"no call with {string.Join(" and ", parts)} after line {after} of the trace");
        return index;
    }

    public void Dispose() => _temp.Dispose();
}
