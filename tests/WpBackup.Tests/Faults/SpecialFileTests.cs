using System.Formats.Tar;
using System.Net.Sockets;
using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Core.Hosts;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Faults;

/// <summary>
/// FIFOs, sockets and device files in a site: a backup skips them with a warning instead of
/// hanging on a FIFO, and a restore never creates them from an archive.
/// </summary>
public sealed class SpecialFileTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    [Fact]
    public async Task A_local_backup_skips_a_fifo_a_socket_and_a_device_with_a_warning_each()
    {
        var root = MiniSite.Create(_temp.Combine("www", "odd.example", "htdocs"));
        var content = Path.Combine(root, "wp-content");
        var fifo = Path.Combine(content, "cache.fifo");
        var device = Path.Combine(content, "null.dev");
        var socket = Path.Combine(content, "php.sock");
        Assert.Equal(0, Processes.Run("mkfifo", fifo).ExitCode);
        Assert.Equal(0, Processes.Run("mknod", device, "c", "1", "3").ExitCode);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socket));
        var dest = _temp.Combine("backups");

        // A backup that opened the FIFO would wait for a writer forever: the time limit turns that into a failure.
        var run = Task.Run(() => _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", new Dictionary<string, object?> { ["p"] = root, ["d"] = dest }));
        var result = await run.WaitAsync(Limit);
        var backup = result.ShouldSucceed().Single<BackupInfo>();

        foreach (var (path, kind) in new[] { (fifo, "FIFO"), (device, "character device"), (socket, "socket") })
        {
            Assert.Contains(result.Warnings, w => w.Contains($"Skipped '{path}': it is a {kind}", StringComparison.Ordinal));
            Assert.Contains(backup.Warnings, w => w.Contains($"Skipped '{path}'", StringComparison.Ordinal));
        }
        Assert.Equal(4, backup.FileCount); // wp-config.php, index.php, wp-includes/version.php, wp-content/uploads/a.txt
        var listing = Processes.Run("tar", "--zstd", "-tf", backup.Path);
        Assert.Equal(0, listing.ExitCode);
        Assert.Contains("files/wp-content/uploads/a.txt", listing.Stdout);
        Assert.DoesNotContain("cache.fifo", listing.Stdout);
        Assert.DoesNotContain("null.dev", listing.Stdout);
        Assert.DoesNotContain("php.sock", listing.Stdout);

        var check = _ps.Run("Test-WpBackup -Path $a", new Dictionary<string, object?> { ["a"] = backup.Path }).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(check.Passed, string.Join("; ", check.Problems));
    }

    [Fact]
    public void The_type_check_tells_special_files_from_files_folders_and_links_without_following_links()
    {
        var dir = Directory.CreateDirectory(_temp.Combine("types")).FullName;
        string At(string name) => Path.Combine(dir, name);
        File.WriteAllText(At("file"), "x");
        Directory.CreateDirectory(At("folder"));
        Assert.Equal(0, Processes.Run("mkfifo", At("fifo")).ExitCode);
        Assert.Equal(0, Processes.Run("mknod", At("char"), "c", "1", "3").ExitCode);
        Assert.Equal(0, Processes.Run("mknod", At("block"), "b", "7", "0").ExitCode);
        File.CreateSymbolicLink(At("link-to-fifo"), At("fifo"));

        Assert.Null(UnixFileType.SpecialKind(At("file")));
        Assert.Null(UnixFileType.SpecialKind(At("folder")));
        Assert.Null(UnixFileType.SpecialKind(At("link-to-fifo"))); // a link is archived as a link, never opened
        Assert.Null(UnixFileType.SpecialKind(At("missing")));
        Assert.Equal("FIFO", UnixFileType.SpecialKind(At("fifo")));
        Assert.Equal("character device", UnixFileType.SpecialKind(At("char")));
        Assert.Equal("block device", UnixFileType.SpecialKind(At("block")));
    }

    [Fact]
    public void An_excluded_fifo_is_skipped_silently()
    {
        var root = MiniSite.Create(_temp.Combine("www", "quiet.example", "htdocs"));
        Assert.Equal(0, Processes.Run("mkfifo", Path.Combine(root, "wp-content", "cache.fifo")).ExitCode);
        var result = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d -Exclude 'wp-content/cache.fifo'",
            new Dictionary<string, object?> { ["p"] = root, ["d"] = _temp.Combine("backups") }).ShouldSucceed();
        Assert.Empty(result.Single<BackupInfo>().Warnings);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("cache.fifo", StringComparison.Ordinal));
    }

    [Fact]
    public void A_restore_skips_device_and_fifo_entries_of_a_crafted_archive_with_a_warning_and_creates_nothing_for_them()
    {
        var target = _temp.Combine("restore", "site");
        var archive = _temp.Combine("crafted.tar.zst");
        using (var file = File.Create(archive))
        using (var zstd = ZstdStreams.Compress(file, 3, 1))
        using (var tar = new TarWriter(zstd, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "files/"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "files/mem") { DeviceMajor = 1, DeviceMinor = 1 });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.BlockDevice, "files/disk") { DeviceMajor = 8, DeviceMinor = 0 });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "files/pipe"));
            var manifest = new BackupManifest { Id = "2026-01-01_00-00-00", Site = "odd.example", ComputerName = "localhost", Type = "Files", Root = target,
                Files = [new ManifestFile { Path = "", Type = ManifestEntryType.Directory, Mode = "0755" }] };
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, ArchiveLayout.ManifestEntry) { DataStream = new MemoryStream(manifest.ToJson()) });
        }

        var warnings = new List<string>();
        var result = new RestoreRunner(new WarningCollector(warnings)).Run(RestoreRunner.Plan(new RestoreRequest { Backup = BackupCatalog.Read(archive), Target = target }));

        foreach (var (name, type) in new[] { ("files/mem", "CharacterDevice"), ("files/disk", "BlockDevice"), ("files/pipe", "Fifo") })
        {
            Assert.Contains(warnings, w => w == $"Skipped '{name}': a {type} entry is never restored.");
            Assert.Contains(result.Warnings, w => w.StartsWith($"Skipped '{name}'", StringComparison.Ordinal));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Combine("restore")).Where(p => p != target));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }

}
