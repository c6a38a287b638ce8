// WpBackup.BenchStages SITE_ROOT SITE_TAR WPBACKUP_ARCHIVE ROUNDS OUT_DIR
// Runs the pieces of WpBackup's backup and restore paths one at a time, in this process, on
// data already in the page cache, writing nothing to disk (but for one stage that writes an
// archive into OUT_DIR and fsyncs it, as a backup does), and prints one TSV line per stage:
//   stage  median_seconds  median_cpu_seconds  bytes  median_foreign_cpu_seconds  first_run_seconds
// (foreign: CPU time other processes used meanwhile, from /proc/stat, steal included; the
// first run is the warm-up, with code not yet optimised by the JIT, as in a fresh wpbackup)
// SITE_TAR is an uncompressed tar of SITE_ROOT (for the compressor alone); WPBACKUP_ARCHIVE a
// Full backup of the site. Every stage runs ROUNDS times after one warm-up; medians reported.
// BENCH_STAGES_ONLY (optional): comma-separated stage name prefixes; only those stages run.
using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using WpBackup.Core.Archives;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: WpBackup.BenchStages SITE_ROOT SITE_TAR WPBACKUP_ARCHIVE ROUNDS OUT_DIR");
    return 2;
}
var (root, siteTar, archive, rounds, outDir) = (args[0], args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
var workers = ZstdStreams.DefaultWorkers;
const int Level = ZstdStreams.DefaultLevel;
const int BufferSize = 1 << 16;

// The tree as the engine archives it (the same walk: lstat, sorted names, links not followed;
// the engine's own scanner is internal, and its time shows in the -Verbose timeline).
var entries = Scan(root);
var files = entries.Where(e => e.Type == ManifestEntryType.File).ToList();
var fileBytes = files.Sum(f => f.Size);
var tarBytes = new FileInfo(siteTar).Length;
long archiveContentBytes = 0;

var only = Environment.GetEnvironmentVariable("BENCH_STAGES_ONLY")?.Split(',', StringSplitOptions.RemoveEmptyEntries);
bool Wanted(string name) => only is null || only.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

void Stage(string name, Func<long> bytes, Action run)
{
    if (!Wanted(name))
        return;
    var firstClock = Stopwatch.StartNew();
    run(); // warm-up: JIT, page cache
    var first = firstClock.Elapsed.TotalSeconds;
    var seconds = new List<double>();
    var cpu = new List<double>();
    var foreign = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var busyBefore = MachineBusySeconds();
        var clock = Stopwatch.StartNew();
        run();
        seconds.Add(clock.Elapsed.TotalSeconds);
        process.Refresh();
        var own = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        cpu.Add(own);
        foreign.Add(Math.Max(0, MachineBusySeconds() - busyBefore - own));
    }
    Console.WriteLine(string.Join('\t', name, Median(seconds).ToString("F3", CultureInfo.InvariantCulture),
        Median(cpu).ToString("F3", CultureInfo.InvariantCulture), bytes().ToString(CultureInfo.InvariantCulture),
        Median(foreign).ToString("F3", CultureInfo.InvariantCulture), first.ToString("F3", CultureInfo.InvariantCulture)));
}

// Busy CPU seconds of the whole machine: user nice system irq softirq steal (USER_HZ = 100 on Linux).
static double MachineBusySeconds()
{
    var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
    return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / 100.0;
}

static double Median(List<double> values)
{
    values.Sort();
    return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
}

FileStream OpenFile(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize);

void ReadAll(bool hash)
{
    var buffer = new byte[BufferSize];
    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    foreach (var file in files)
    {
        using var stream = OpenFile(file.FullPath);
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            if (hash) sha.AppendData(buffer, 0, read);
        if (hash) sha.GetHashAndReset();
    }
}

void WriteTar(Stream output)
{
    using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
    foreach (var entry in entries)
    {
        var name = ArchiveLayout.FileEntry(entry.RelativePath);
        switch (entry.Type)
        {
            case ManifestEntryType.Directory:
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = entry.Mode, ModificationTime = entry.Modified });
                break;
            case ManifestEntryType.Symlink:
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = entry.LinkTarget!, Mode = entry.Mode, ModificationTime = entry.Modified });
                break;
            default:
                using (var data = OpenFile(entry.FullPath))
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data, Mode = entry.Mode, ModificationTime = entry.Modified });
                break;
        }
    }
}

// ---- backup path, pieces first, then the engine's whole files stage (ArchiveWriter) ----
// First, once, in this fresh process: the files stage as a wpbackup process runs it, with
// none of the code optimised yet by the JIT (the page cache is warm, as for every stage).
void WriteArchive() => WriteArchiveTo(Stream.Null);
void WriteArchiveTo(Stream output)
{
    using var writer = new ArchiveWriter(output, Level, workers);
    foreach (var entry in entries)
    {
        var name = ArchiveLayout.FileEntry(entry.RelativePath);
        switch (entry.Type)
        {
            case ManifestEntryType.Directory: writer.AddDirectory(name, entry.Mode, entry.Modified); break;
            case ManifestEntryType.Symlink: writer.AddSymlink(name, entry.LinkTarget!, entry.Mode, entry.Modified); break;
            default:
                using (var source = OpenFile(entry.FullPath))
                    writer.AddFile(name, source, entry.Size, entry.Mode, entry.Modified, _ => { });
                break;
        }
    }
    writer.Finish("{}"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite, DateTimeOffset.UtcNow);
}
if (Wanted("backup.archivewriter-fresh-process"))
{
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var busyBefore = MachineBusySeconds();
    var clock = Stopwatch.StartNew();
    WriteArchive();
    var seconds = clock.Elapsed.TotalSeconds;
    process.Refresh();
    var own = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
    Console.WriteLine(string.Join('\t', "backup.archivewriter-fresh-process", seconds.ToString("F3", CultureInfo.InvariantCulture),
        own.ToString("F3", CultureInfo.InvariantCulture), fileBytes.ToString(CultureInfo.InvariantCulture),
        Math.Max(0, MachineBusySeconds() - busyBefore - own).ToString("F3", CultureInfo.InvariantCulture), seconds.ToString("F3", CultureInfo.InvariantCulture)));
}
Stage("backup.read", () => fileBytes, () => ReadAll(hash: false));
Stage("backup.read+sha256", () => fileBytes, () => ReadAll(hash: true));
Stage("backup.tar-only", () => fileBytes, () => WriteTar(Stream.Null));
Stage("backup.zstdsharp-compress-tarfile", () => tarBytes, () =>
{
    using var input = OpenFile(siteTar);
    using (var zstd = ZstdStreams.Compress(Stream.Null, Level, workers))
        input.CopyTo(zstd, 1 << 20);
});
Stage("backup.zstdsharp-compress-tarfile-single-thread", () => tarBytes, () =>
{
    using var input = OpenFile(siteTar);
    using (var zstd = ZstdStreams.Compress(Stream.Null, Level, 0))
        input.CopyTo(zstd, 1 << 20);
});
Stage("backup.tar+zstdsharp", () => fileBytes, () =>
{
    using var zstd = ZstdStreams.Compress(Stream.Null, Level, workers);
    WriteTar(zstd);
});
Stage("backup.archivewriter", () => fileBytes, WriteArchive);
Stage("backup.archivewriter-to-file+fsync", () => fileBytes, () =>
{
    var path = Path.Combine(outDir, "stage-archive.tar.zst");
    using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
    {
        WriteArchiveTo(file);
        file.Flush(flushToDisk: true);
    }
    File.Delete(path);
});

// ---- restore path: decompression, then tar parsing, then hashing, nothing written ----
Stage("restore.zstdsharp-decompress", () => archiveContentBytes, () =>
{
    using var file = OpenFile(archive);
    using var zstd = ZstdStreams.Decompress(file);
    var buffer = new byte[BufferSize];
    long total = 0;
    int read;
    while ((read = zstd.Read(buffer, 0, buffer.Length)) > 0) total += read;
    archiveContentBytes = total;
});
void ReadEntries(bool hash)
{
    using var reader = new ArchiveReader(archive);
    var buffer = new byte[BufferSize];
    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    while (reader.Next() is { } entry)
    {
        if (entry.DataStream is not { } data) continue;
        int read;
        while ((read = data.Read(buffer, 0, buffer.Length)) > 0)
            if (hash) sha.AppendData(buffer, 0, read);
        if (hash) sha.GetHashAndReset();
    }
}
Stage("restore.zstdsharp+tarreader", () => archiveContentBytes, () => ReadEntries(hash: false));
Stage("restore.zstdsharp+tarreader+sha256", () => archiveContentBytes, () => ReadEntries(hash: true));
return 0;

static List<Entry> Scan(string root)
{
    var result = new List<Entry>();
    var pending = new Stack<(DirectoryInfo Dir, string Relative)>();
    pending.Push((new DirectoryInfo(root), ""));
    result.Add(Describe(new DirectoryInfo(root), ""));
    while (pending.Count > 0)
    {
        var (dir, relative) = pending.Pop();
        var children = dir.GetFileSystemInfos();
        Array.Sort(children, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var subdirs = new List<(DirectoryInfo, string)>();
        foreach (var child in children)
        {
            var entry = Describe(child, relative.Length == 0 ? child.Name : relative + "/" + child.Name);
            result.Add(entry);
            if (entry.Type == ManifestEntryType.Directory)
                subdirs.Add(((DirectoryInfo)child, entry.RelativePath));
        }
        for (var i = subdirs.Count - 1; i >= 0; i--)
            pending.Push(subdirs[i]);
    }
    return result;
}

static Entry Describe(FileSystemInfo info, string relative)
{
    var modified = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
    if (info.LinkTarget is { } target)
        return new Entry(relative, info.FullName, ManifestEntryType.Symlink, 0, info.UnixFileMode, modified, target);
    return info is FileInfo file
        ? new Entry(relative, info.FullName, ManifestEntryType.File, file.Length, info.UnixFileMode, modified, null)
        : new Entry(relative, info.FullName, ManifestEntryType.Directory, 0, info.UnixFileMode, modified, null);
}

internal sealed record Entry(string RelativePath, string FullPath, ManifestEntryType Type, long Size, UnixFileMode Mode, DateTimeOffset Modified, string? LinkTarget);
