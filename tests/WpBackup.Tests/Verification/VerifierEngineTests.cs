using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using WpBackup.Core.Archives;
using WpBackup.Core.Database;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Verification;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Verification;

/// <summary>The verification engine's pieces on archives made by hand (no database server needed).</summary>
public sealed class VerifierEngineTests : IDisposable
{
    private readonly TempFolder _temp = new();

    /// <summary>A Database backup archive holding <paramref name="dump"/>, with a manifest that agrees with it.</summary>
    private string CraftDatabaseArchive(byte[] dump, string? parent = null, string id = "2026-01-02_03-04-05")
    {
        var path = _temp.Combine("site.example", id + ArchiveLayout.ArchiveExtension);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var zstd = ZstdStreams.Compress(file, 3, 1);
        using var tar = new TarWriter(zstd, TarEntryFormat.Pax);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, ArchiveLayout.DatabaseEntry) { DataStream = new MemoryStream(dump) });
        var manifest = new BackupManifest
        {
            Id = id, Site = "site.example", ComputerName = "localhost", Type = "Database", Root = "/srv/site", Parent = parent,
            Database = new ManifestDatabase
            {
                Name = "wp", Host = "localhost", User = "wp", TablePrefix = "wp_", Charset = "utf8mb4",
                DumpSize = dump.Length, DumpSha256 = Convert.ToHexString(SHA256.HashData(dump)).ToLowerInvariant(),
            },
        };
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, ArchiveLayout.ManifestEntry) { DataStream = new MemoryStream(manifest.ToJson()) });
        return path;
    }

    private static WpBackup.Core.WpBackupTestResult Verify(string archive) =>
        new BackupVerifier(NullReporter.Instance).Run(VerifyRequest.ForArchive(archive));

    [Fact]
    public void Zstd_decompression_verifies_the_frame_checksum()
    {
        var data = new byte[400_000];
        new Random(7).NextBytes(data); // incompressible: stored in raw blocks, where only the checksum can notice a change
        var path = _temp.Combine("data.zst");
        using (var file = File.Create(path))
        using (var zstd = ZstdStreams.Compress(file, 3, 2))
            zstd.Write(data);
        ArchiveSurgery.FlipInsideBlock(path, ArchiveSurgery.ZstdBlockType.Raw);

        using var input = File.OpenRead(path);
        using var decompressed = ZstdStreams.Decompress(input);
        var error = Assert.Throws<ZstdSharp.ZstdException>(() => decompressed.CopyTo(Stream.Null));
        Assert.Contains("checksum", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(65_530)]
    [InlineData(65_540)]
    [InlineData(300_000)]
    public void The_completion_marker_is_found_at_the_end_of_a_dump_of_any_length(int padding)
    {
        var whole = Encoding.UTF8.GetBytes(new string('x', padding) + "\n" + DatabaseDumper.CompletionMarker + " on 2026-01-02  3:04:05\n");
        var result = Verify(CraftDatabaseArchive(whole));
        Assert.True(result.Passed, string.Join("\n", result.Problems));
        Assert.Equal(whole.Length, result.CheckedBytes);

        var cut = Encoding.UTF8.GetBytes(new string('x', padding) + "\nINSERT INTO `wp_posts` VALUES (1,");
        var problem = Assert.Single(Verify(CraftDatabaseArchive(cut, id: "2026-01-02_03-04-06")).Problems);
        Assert.Contains("completion marker", problem);
    }

    [Fact]
    public void A_chain_of_parents_is_followed_and_a_loop_or_a_path_is_refused()
    {
        var dump = Encoding.UTF8.GetBytes(DatabaseDumper.CompletionMarker + "\n");
        var child = CraftDatabaseArchive(dump, parent: "2026-01-01_00-00-01", id: "2026-01-01_00-00-02");
        var folder = Path.GetDirectoryName(child)!;
        void Sidecar(string id, string? parent) => File.WriteAllBytes(Path.Combine(folder, id + ".json"),
            new BackupManifest { Id = id, Site = "site.example", ComputerName = "localhost", Type = "Full", Root = "/srv/site", Parent = parent }.ToJson());

        Assert.Contains("'2026-01-01_00-00-01' (of '2026-01-01_00-00-02') is missing", Assert.Single(Verify(child).Problems));

        Sidecar("2026-01-01_00-00-01", "2026-01-01_00-00-00");
        File.WriteAllText(Path.Combine(folder, "2026-01-01_00-00-01.tar.zst"), "");
        Assert.Contains("'2026-01-01_00-00-00' (of '2026-01-01_00-00-01') is missing", Assert.Single(Verify(child).Problems));

        Sidecar("2026-01-01_00-00-00", "2026-01-01_00-00-02");
        File.WriteAllText(Path.Combine(folder, "2026-01-01_00-00-00.tar.zst"), "");
        Assert.Contains("loops back to '2026-01-01_00-00-02'", Assert.Single(Verify(child).Problems));

        Sidecar("2026-01-01_00-00-00", null);
        Assert.True(Verify(child).Passed);

        var escaping = CraftDatabaseArchive(dump, parent: "../other.example/2026-01-01_00-00-00", id: "2026-01-01_00-00-03");
        Assert.Contains("is not a backup id", Assert.Single(Verify(escaping).Problems));
    }

    [Fact]
    public void The_scratch_folder_is_private_and_removed_even_when_it_holds_read_only_folders()
    {
        var scratch = ScratchFolder.Create(_temp.Path);
        foreach (var folder in new[] { scratch.Path, scratch.Site, scratch.Private })
            Assert.Equal(PrivatePaths.FolderMode, File.GetUnixFileMode(folder));
        var locked = Path.Combine(scratch.Site, "wp-content", "locked");
        Directory.CreateDirectory(locked);
        File.WriteAllText(Path.Combine(locked, "file.php"), "<?php");
        File.CreateSymbolicLink(Path.Combine(scratch.Site, "outside"), _temp.Path);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        scratch.Dispose();

        Assert.False(Directory.Exists(scratch.Path));
        Assert.True(Directory.Exists(_temp.Path)); // the link was removed, not followed
    }

    public void Dispose() => _temp.Dispose();
}
