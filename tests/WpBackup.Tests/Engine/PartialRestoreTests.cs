using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Engine;

/// <summary>
/// `-Type Database` and `-Type Files` restores of a Full backup against a real database: each
/// reads and checks only its own part of the archive, and reports only what it restored.
/// </summary>
[Collection("mariadb")]
public sealed class PartialRestoreTests : IDisposable
{
    private const int LargeFiles = 4;
    private const int LargeFileBytes = 2_000_000;
    private const string Canary = "partial-restore-canary-7f3a";

    private readonly TempFolder _temp = new();
    private readonly MariaDbFixture _db;
    private readonly string _name = "partial_" + Guid.NewGuid().ToString("N")[..8];

    public PartialRestoreTests(MariaDbFixture db)
    {
        _db = db;
        db.Server.CreateDatabase(_name, _name, "partial-pass");
        db.Server.Query($"CREATE TABLE `{_name}`.wp_options (option_id INT PRIMARY KEY, option_value TEXT); " +
                        $"INSERT INTO `{_name}`.wp_options VALUES (1, '{Canary}'), (2, 'second');");
    }

    private string Root => _temp.Combine("www", "partial.example", "htdocs");

    private WpBackup.Core.WpBackup FullBackup()
    {
        MiniSite.Create(Root, $"<?php\ndefine('DB_NAME', '{_name}');\ndefine('DB_USER', '{_name}');\ndefine('DB_PASSWORD', 'partial-pass');\ndefine('DB_HOST', '127.0.0.1:{_db.Server.Port}');\n");
        var random = new Random(11);
        for (var i = 0; i < LargeFiles; i++)
        {
            var photo = new byte[LargeFileBytes];
            random.NextBytes(photo);
            File.WriteAllBytes(Path.Combine(Root, "wp-content", "uploads", $"photo{i}.jpg"), photo);
        }
        var site = new SiteFinder().Describe(WpBackup.Core.Hosts.LocalHost.Instance, Root);
        return new BackupRunner(NullReporter.Instance).Run(new BackupRequest { Site = site, Type = BackupType.Full, Destination = _temp.Combine("backups") });
    }

    private static WpRestoreResult Restore(WpBackup.Core.WpBackup backup, BackupType type, string? target = null) =>
        new RestoreRunner(NullReporter.Instance).Run(RestoreRunner.Plan(new RestoreRequest { Backup = backup, Type = type, Target = target }));

    private string OptionValue() => _db.Server.Query($"SELECT option_value FROM `{_name}`.wp_options WHERE option_id = 1").Trim();

    [Fact]
    public void A_database_restore_of_a_full_backup_checks_only_the_dump_and_reports_no_files()
    {
        var backup = FullBackup();
        _db.Server.Query($"UPDATE `{_name}`.wp_options SET option_value = 'edited after the backup' WHERE option_id = 1");

        var result = Restore(backup, BackupType.Database);

        Assert.Equal(Canary, OptionValue());
        Assert.Equal(0, result.FilesRestored);
        Assert.Equal(0, result.BytesRestored);
        Assert.Null(result.Target);
        Assert.Equal(_name, result.Database);
        Assert.Equal(backup.DatabaseSize, result.BytesHashed);
    }

    [Fact]
    public void A_files_restore_of_a_full_backup_neither_hashes_nor_decompresses_the_dump()
    {
        var backup = FullBackup();
        var full = Restore(backup, BackupType.Full, _temp.Combine("restored-full"));
        var files = Restore(backup, BackupType.Files, _temp.Combine("restored-files"));

        Assert.Equal(TreeSnapshot.Take(_temp.Combine("restored-full")), TreeSnapshot.Take(_temp.Combine("restored-files")));
        Assert.Equal(full.FilesRestored, files.FilesRestored);
        Assert.Equal(full.BytesRestored, files.BytesRestored);
        Assert.Null(files.Database);
        Assert.Equal(full.BytesHashed - backup.DatabaseSize, files.BytesHashed);
        Assert.True(files.BytesDecompressed <= full.BytesDecompressed - backup.DatabaseSize,
            $"a files restore decompressed {files.BytesDecompressed:N0} bytes, a full one {full.BytesDecompressed:N0} with a {backup.DatabaseSize:N0}-byte dump");
    }

    [Fact]
    public void A_database_restore_costs_a_small_part_of_a_full_restore_when_the_files_are_large()
    {
        var backup = FullBackup();
        var full = Restore(backup, BackupType.Full, _temp.Combine("restored-full"));
        var database = Restore(backup, BackupType.Database);

        Assert.True(full.BytesHashed > LargeFiles * LargeFileBytes, $"a full restore hashed {full.BytesHashed:N0} bytes");
        Assert.True(database.BytesHashed * 20 < full.BytesHashed,
            $"a database restore hashed {database.BytesHashed:N0} bytes, a full restore {full.BytesHashed:N0}");
        // It starts at the dump's own frame: the files are not even decompressed, only the dump and its tar header.
        Assert.True(full.BytesDecompressed > LargeFiles * LargeFileBytes, $"a full restore decompressed {full.BytesDecompressed:N0} bytes");
        Assert.True(database.BytesDecompressed < backup.DatabaseSize + 16_384,
            $"a database restore decompressed {database.BytesDecompressed:N0} bytes for a {backup.DatabaseSize:N0}-byte dump");
    }

    [Fact]
    public void The_dump_has_a_frame_of_its_own_and_gnu_tar_still_reads_the_archive_as_one()
    {
        var backup = FullBackup();

        using (var file = File.OpenRead(backup.Path))
        {
            var starts = ZstdFrames.Starts(file, file.Length);
            Assert.NotNull(starts);
            Assert.Equal(3, starts.Count); // files, dump, manifest
            Assert.Equal(0, starts[0]);
            Assert.Equal(backup.Manifest.ManifestOffset, starts[2]);
        }
        var (exit, listing, stderr) = Processes.Run("tar", "--zstd", "-tf", backup.Path);
        Assert.True(exit == 0, stderr);
        var names = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("files/", names[0]);
        Assert.Contains($"files/wp-content/uploads/photo{LargeFiles - 1}.jpg", names);
        Assert.Equal([ArchiveLayout.DatabaseEntry, ArchiveLayout.ManifestEntry], names[^2..]);
    }

    [Fact]
    public void A_flipped_byte_inside_the_dump_is_refused_before_anything_is_imported()
    {
        var backup = FullBackup();
        FlipByteInDump(backup);
        _db.Server.Query($"UPDATE `{_name}`.wp_options SET option_value = 'edited after the backup' WHERE option_id = 1");

        var error = Assert.Throws<ArchiveException>(() => Restore(backup, BackupType.Database));

        Assert.Equal("ArchiveMismatch", error.ErrorId);
        Assert.Contains(ArchiveLayout.DatabaseEntry, error.Message);
        Assert.Equal("edited after the backup", OptionValue());
    }

    [Fact]
    public void A_database_restore_of_an_archive_whose_size_is_not_its_sidecars_is_refused_before_anything_is_imported()
    {
        var backup = FullBackup();
        backup.Manifest.ArchiveSize += 1; // what Get-WpBackup read from a sidecar that lies
        _db.Server.Query($"UPDATE `{_name}`.wp_options SET option_value = 'edited after the backup' WHERE option_id = 1");

        var error = Assert.Throws<ArchiveException>(() => Restore(backup, BackupType.Database));

        Assert.Equal("ArchiveMismatch", error.ErrorId);
        Assert.Contains("its sidecar says", error.Message);
        Assert.Equal("edited after the backup", OptionValue());
    }

    /// <summary>
    /// Rewrites the dump's frame with one byte of the dump changed, keeping the other frames as they were
    /// and pointing the backup at the manifest's new offset, so the dump-only read path is the one tested.
    /// </summary>
    private static void FlipByteInDump(WpBackup.Core.WpBackup backup)
    {
        var archive = File.ReadAllBytes(backup.Path);
        var offset = (int)backup.Manifest.ManifestOffset!.Value;
        int dumpFrame;
        using (var file = new MemoryStream(archive))
            dumpFrame = (int)ZstdFrames.Starts(file, offset)![^1];
        Assert.True(dumpFrame > 0, "the dump has a frame of its own");
        byte[] tar;
        using (var compressed = new MemoryStream(archive, dumpFrame, offset - dumpFrame))
        using (var zstd = ZstdStreams.Decompress(compressed))
        using (var plain = new MemoryStream())
        {
            zstd.CopyTo(plain);
            tar = plain.ToArray();
        }
        var at = tar.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(Canary));
        Assert.True(at > 0, "the canary is in the dump");
        tar[at] ^= 0x01;
        using var rewritten = new MemoryStream();
        using (var zstd = ZstdStreams.Compress(rewritten, ZstdStreams.DefaultLevel, workers: 0))
            zstd.Write(tar);
        var dumpFrameBytes = rewritten.ToArray();
        File.WriteAllBytes(backup.Path, [.. archive.AsSpan(0, dumpFrame), .. dumpFrameBytes, .. archive.AsSpan(offset)]);
        backup.Manifest.ManifestOffset = dumpFrame + dumpFrameBytes.Length;
    }

    public void Dispose()
    {
        _db.Server.DropDatabase(_name, _name);
        _temp.Dispose();
    }
}
