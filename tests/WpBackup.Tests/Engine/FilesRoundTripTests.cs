using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Engine;

/// <summary>Files-only backups through the engine: no database needed, real files, real GNU tar as the second reader.</summary>
public sealed class FilesRoundTripTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Root => _temp.Combine("www", "example.org", "htdocs");
    private string Destination => _temp.Combine("backups");

    private WpSite MakeSite()
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Root, "wp-includes"));
        Directory.CreateDirectory(System.IO.Path.Combine(Root, "wp-content", "uploads", "2026", "11"));
        Directory.CreateDirectory(System.IO.Path.Combine(Root, "wp-content", "cache", "page"));
        File.WriteAllText(System.IO.Path.Combine(Root, "wp-includes", "version.php"), "<?php\n$wp_version = '6.1.9';\n");
        File.WriteAllText(System.IO.Path.Combine(Root, "wp-config.php"), "<?php define('DB_NAME', 'x');\n");
        File.SetUnixFileMode(System.IO.Path.Combine(Root, "wp-config.php"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var random = new Random(7);
        var photo = new byte[300_000];
        random.NextBytes(photo);
        File.WriteAllBytes(System.IO.Path.Combine(Root, "wp-content", "uploads", "2026", "11", "photo.jpg"), photo);
        File.WriteAllText(System.IO.Path.Combine(Root, "wp-content", "uploads", "2026", "11", "notes ü €.txt"), string.Concat(Enumerable.Repeat("lorem ipsum ", 5000)));
        File.WriteAllText(System.IO.Path.Combine(Root, "wp-content", "cache", "page", "index.html"), "cached");
        File.WriteAllBytes(System.IO.Path.Combine(Root, "empty.txt"), []);
        File.CreateSymbolicLink(System.IO.Path.Combine(Root, "wp-content", "uploads", "latest"), "2026/11");
        File.CreateSymbolicLink(System.IO.Path.Combine(Root, "javascript"), "/usr/share/javascript");
        File.SetLastWriteTimeUtc(System.IO.Path.Combine(Root, "empty.txt"), new DateTime(2020, 2, 29, 12, 34, 56, 789, DateTimeKind.Utc));
        return new WpSite { Name = "example.org", Root = Root, ConfigPath = System.IO.Path.Combine(Root, "wp-config.php"), Database = new DatabaseSettings() };
    }

    private WpBackup.Core.WpBackup Backup(WpSite site, params string[] exclude) =>
        new BackupRunner(NullReporter.Instance).Run(new BackupRequest { Site = site, Type = BackupType.Files, Destination = Destination, Exclude = exclude });

    [Fact]
    public void Restore_gives_back_every_file_byte_for_byte_with_modes_mtimes_and_links()
    {
        var site = MakeSite();
        var before = TreeSnapshot.Take(Root);
        var backup = Backup(site);

        Directory.Delete(_temp.Combine("www"), recursive: true);
        var plan = RestoreRunner.Plan(new RestoreRequest { Backup = backup });
        Assert.False(plan.TargetHasContent);
        var result = new RestoreRunner(NullReporter.Instance).Run(plan);

        var after = TreeSnapshot.Take(Root);
        before.Remove("wp-content/cache/page");
        before.Remove("wp-content/cache/page/index.html");
        before.Remove("wp-content/cache");
        Assert.Equal(before, after);
        Assert.Equal(5, result.FilesRestored);
        Assert.Null(result.Database);
    }

    [Fact]
    public void Archive_follows_the_contract_that_gnu_tar_reads()
    {
        var backup = Backup(MakeSite());
        var (exit, listing, stderr) = Processes.Run("tar", "--zstd", "-tvf", backup.Path);
        Assert.True(exit == 0, stderr);
        var names = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[5]).ToList();
        Assert.Equal("files/", names[0]);
        Assert.Contains("files/wp-content/uploads/2026/11/photo.jpg", names);
        Assert.Contains("files/wp-content/uploads/latest", names);
        Assert.DoesNotContain(names, n => n.StartsWith("files/wp-content/cache", StringComparison.Ordinal));
        Assert.Equal(ArchiveLayout.ManifestEntry, names[^1]);
        Assert.DoesNotContain(ArchiveLayout.DatabaseEntry, names);

        var extracted = _temp.Combine("by-tar");
        Directory.CreateDirectory(extracted);
        Assert.Equal(0, Processes.Run("tar", "--zstd", "-xf", backup.Path, "-C", extracted).ExitCode);
        Assert.Equal(File.ReadAllBytes(System.IO.Path.Combine(Root, "wp-content", "uploads", "2026", "11", "photo.jpg")),
            File.ReadAllBytes(System.IO.Path.Combine(extracted, "files", "wp-content", "uploads", "2026", "11", "photo.jpg")));
        Assert.Equal("2026/11", new FileInfo(System.IO.Path.Combine(extracted, "files", "wp-content", "uploads", "latest")).LinkTarget);
        Assert.Equal(new DateTime(2020, 2, 29, 12, 34, 56, DateTimeKind.Utc), File.GetLastWriteTimeUtc(System.IO.Path.Combine(extracted, "files", "empty.txt")).AddTicks(-(File.GetLastWriteTimeUtc(System.IO.Path.Combine(extracted, "files", "empty.txt")).Ticks % TimeSpan.TicksPerSecond)));
    }

    [Fact]
    public void Backup_files_and_folders_are_private_and_listed_from_the_sidecar()
    {
        var backup = Backup(MakeSite(), "*.txt");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup.SidecarPath));
        Assert.Equal(PrivatePaths.FolderMode, File.GetUnixFileMode(System.IO.Path.GetDirectoryName(backup.Path)!));
        var listed = Assert.Single(new BackupCatalog(Destination).List("example.*"));
        Assert.Equal(backup.Id, listed.Id);
        Assert.Equal(3, listed.FileCount); // version.php, wp-config.php, photo.jpg: *.txt left out
        Assert.Equal(new FileInfo(backup.Path).Length, listed.Size);
        Assert.Empty(Directory.GetDirectories(System.IO.Path.GetDirectoryName(backup.Path)!));
    }

    [Fact]
    public void The_manifest_sits_in_its_own_last_frame_so_it_reads_without_the_rest()
    {
        var backup = Backup(MakeSite());
        var offset = backup.Manifest.ManifestOffset!.Value;
        Assert.InRange(offset, 1, backup.Size - 1);
        var fromFrame = ArchiveReader.ReadManifest(backup.Path, offset);
        var fromStart = ArchiveReader.ReadManifest(backup.Path);
        Assert.Equal(fromStart.Files!.Count, fromFrame.Files!.Count);
        Assert.Equal(backup.FileCount, fromFrame.FileCount);

        // The last frame alone is a valid zstd stream holding the manifest's tar entry.
        var tail = File.ReadAllBytes(backup.Path)[(int)offset..];
        var tailPath = _temp.Combine("tail.zst");
        File.WriteAllBytes(tailPath, tail);
        var (exit, listing, _) = Processes.Run("tar", "--zstd", "-tf", tailPath);
        Assert.Equal(0, exit);
        Assert.Equal(ArchiveLayout.ManifestEntry, listing.Trim());
    }

    [Fact]
    public void Two_backups_in_the_same_second_get_distinct_ids()
    {
        var site = MakeSite();
        var ids = Enumerable.Range(0, 3).Select(_ => Backup(site).Id).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(3, new BackupCatalog(Destination).List().Count);
    }

    [Fact]
    public void A_file_that_cannot_be_opened_fails_the_backup_naming_it_and_leaves_nothing()
    {
        // Tests run as root, which reads every file whatever its mode; a folder put where the scan saw the file
        // makes the open fail as a permission error does (a file merely removed is a warning, tested elsewhere).
        var siteForTest = MakeSite();
        var unopenable = System.IO.Path.Combine(Root, "wp-content", "uploads", "2026", "11", "photo.jpg");
        var runner = new BackupRunner(new ReplaceWithFolderWhenArchiving(unopenable));
        var error = Assert.Throws<ArchiveException>(() => runner.Run(new BackupRequest { Site = siteForTest, Type = BackupType.Files, Destination = Destination }));
        Assert.Equal("FilesUnreadable", error.ErrorId);
        Assert.Contains("photo.jpg", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(System.IO.Path.Combine(Destination, "example.org")));
    }

    [Fact]
    public void Restore_refuses_a_truncated_archive_before_touching_the_target()
    {
        var backup = Backup(MakeSite());
        var before = TreeSnapshot.Take(Root);
        var bytes = File.ReadAllBytes(backup.Path);
        File.WriteAllBytes(backup.Path, bytes[..(bytes.Length * 2 / 3)]);

        var plan = RestoreRunner.Plan(new RestoreRequest { Backup = backup });
        Assert.True(plan.TargetHasContent);
        var error = Assert.Throws<ArchiveException>(() => new RestoreRunner(NullReporter.Instance).Run(plan));
        Assert.Equal("ArchiveCorrupt", error.ErrorId);
        Assert.Equal(before, TreeSnapshot.Take(Root));
        Assert.Single(Directory.GetDirectories(_temp.Combine("www", "example.org")));
    }

    [Fact]
    public void Restore_refuses_a_flipped_byte_before_touching_the_target()
    {
        var backup = Backup(MakeSite());
        var before = TreeSnapshot.Take(Root);
        var bytes = File.ReadAllBytes(backup.Path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(backup.Path, bytes);

        var error = Assert.ThrowsAny<WpBackupException>(() => new RestoreRunner(NullReporter.Instance).Run(RestoreRunner.Plan(new RestoreRequest { Backup = backup })));
        Assert.Contains(error.ErrorId, new[] { "ArchiveCorrupt", "ArchiveMismatch" });
        Assert.Equal(before, TreeSnapshot.Take(Root));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Deletes a file once archiving starts, as if it vanished mid-backup.</summary>
    private sealed class ReplaceWithFolderWhenArchiving(string path) : IOperationReporter
    {
        public void Progress(OperationProgress progress) { }
        public void Verbose(string message)
        {
            if (message.Contains("archiving", StringComparison.Ordinal) && File.Exists(path))
            {
                File.Delete(path);
                Directory.CreateDirectory(path);
            }
        }
        public void Warning(string message) { }
    }
}
