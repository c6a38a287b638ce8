using System.Security.Cryptography;
using System.Text;
using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Verification;

/// <summary>
/// Test-WpBackup through the real PowerShell engine on a real WordPress backup, damaged one way
/// at a time; each damage must fail the test with a problem that names it — not an error record.
/// </summary>
[Collection("mariadb")]
public sealed class VerificationCmdletTests(MariaDbFixture fixture) : IDisposable
{
    private readonly PowerShellSession _ps = new();
    private readonly ReferenceBackup _reference = ReferenceBackup.For(fixture);

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    /// <summary>A private copy of the reference backup in a fresh destination: (destination, archive).</summary>
    private (string Destination, string Archive) CopyOfReference()
    {
        var destination = fixture.NewDirectory("verify");
        return (destination, ArchiveSurgery.Copy(_reference.Backup, destination));
    }

    /// <summary>Tests every backup of a destination; a failed check must come back as a result, never as an error record.</summary>
    private (WpBackupTestResult Result, PipelineResult Pipeline) TestAll(string destination)
    {
        var pipeline = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup", Vars(("d", destination))).ShouldSucceed();
        var result = pipeline.Single<WpBackupTestResult>();
        Assert.Equal(result.Problems.Length, pipeline.Warnings.Count);
        return (result, pipeline);
    }

    private static string Failed(WpBackupTestResult result)
    {
        Assert.False(result.Passed);
        return string.Join("\n", result.Problems);
    }

    [Fact]
    public void An_intact_backup_passes_with_its_files_and_dump_counted()
    {
        var (destination, archive) = CopyOfReference();
        var backup = _reference.Backup;

        var pipeline = _ps.Run("Get-WpBackup -Destination $d -Newest 1 | Test-WpBackup -Verbose", Vars(("d", destination))).ShouldSucceed();
        var result = pipeline.Single<WpBackupTestResult>();
        Assert.True(result.Passed, string.Join("\n", result.Problems));
        Assert.Empty(result.Problems);
        Assert.Empty(pipeline.Warnings);
        Assert.Equal(backup.Site, result.Site);
        Assert.Equal(backup.Id, result.BackupId);
        Assert.Equal(archive, result.Path);
        Assert.Equal(backup.FileCount, result.CheckedFiles);
        Assert.True(result.CheckedBytes > backup.DatabaseSize, $"{result.CheckedBytes} bytes checked");
        Assert.False(result.Deep);
        Assert.Null(result.SiteUrl);
        Assert.True(pipeline.ProgressRecords > 0);
        Assert.Contains(pipeline.Verbose, line => line.Contains("end to end"));

        // The line a Pester test would use, and -Path for an archive file.
        var passed = _ps.Run("(Get-WpBackup -Destination $d -Newest 1 | Test-WpBackup).Passed", Vars(("d", destination))).ShouldSucceed();
        Assert.True((bool)Assert.Single(passed.Output).BaseObject);
        Assert.True(_ps.Run("Test-WpBackup -Path $p", Vars(("p", archive))).ShouldSucceed().Single<WpBackupTestResult>().Passed);
        var fromFile = _ps.Run("[System.IO.FileInfo]::new($p) | Test-WpBackup", Vars(("p", archive))).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(fromFile.Passed);
        Assert.Equal(archive, fromFile.Path);
    }

    [Fact]
    public void An_archive_without_a_sidecar_is_tested_by_path_and_passes()
    {
        var (_, archive) = CopyOfReference();
        File.Delete(BackupCatalog.SidecarPathFor(archive));
        var pipeline = _ps.Run("Test-WpBackup -Path $p -Verbose", Vars(("p", archive))).ShouldSucceed();
        var result = pipeline.Single<WpBackupTestResult>();
        Assert.True(result.Passed, string.Join("\n", result.Problems));
        Assert.Equal(_reference.Backup.Id, result.BackupId);
        Assert.Contains(pipeline.Verbose, line => line.Contains("no sidecar"));
    }

    [Fact]
    public void A_flipped_byte_inside_compressed_data_is_detected()
    {
        var (destination, archive) = CopyOfReference();
        ArchiveSurgery.FlipInsideBlock(archive, ArchiveSurgery.ZstdBlockType.Compressed);

        var problems = Failed(TestAll(destination).Result);
        Assert.Contains("damaged", problems);
        Assert.Contains("SHA-256", problems); // the sidecar's hash of the archive no longer matches either

        ArchiveSurgery.EditSidecar(archive, _ => { }); // a sidecar written after the damage: only the read can tell
        var result = TestAll(destination).Result;
        Assert.Contains("damaged", Assert.Single(result.Problems));
    }

    [Fact]
    public void A_flipped_byte_inside_a_stored_block_is_caught_by_the_zstd_frame_checksum()
    {
        var (destination, archive) = CopyOfReference();
        ArchiveSurgery.FlipInsideBlock(archive, ArchiveSurgery.ZstdBlockType.Raw);
        ArchiveSurgery.EditSidecar(archive, _ => { });

        var problem = Assert.Single(TestAll(destination).Result.Problems);
        Assert.Equal("the archive's zstd data is damaged (Restored data doesn't match checksum)", problem);
    }

    [Fact]
    public void A_wrong_frame_checksum_is_detected_though_every_entry_is_intact()
    {
        var (destination, archive) = CopyOfReference();
        ArchiveSurgery.BreakFrameChecksum(archive);
        ArchiveSurgery.EditSidecar(archive, _ => { });

        var problem = Assert.Single(TestAll(destination).Result.Problems);
        Assert.Equal("the archive's zstd data is damaged (Restored data doesn't match checksum)", problem);
    }

    [Fact]
    public void A_truncated_archive_is_detected()
    {
        var (destination, archive) = CopyOfReference();
        var size = new FileInfo(archive).Length;
        using (var file = File.OpenWrite(archive))
            file.SetLength(size / 2);

        var result = TestAll(destination).Result;
        var problems = Failed(result);
        Assert.Contains("the archive is truncated", problems);
        Assert.Contains($"the archive is {size / 2:N0} bytes but its sidecar says {size:N0}", problems);
        Assert.InRange(result.CheckedFiles, 1, _reference.Backup.FileCount - 1); // those read before the cut
    }

    [Fact]
    public void A_sidecar_that_lies_about_its_archive_is_detected()
    {
        var (destination, archive) = CopyOfReference();
        ArchiveSurgery.EditSidecar(archive, sidecar =>
        {
            sidecar.ArchiveSha256 = new string('0', 64);
            sidecar.ArchiveSize += 1;
        });
        var result = TestAll(destination).Result;
        Assert.Equal(2, result.Problems.Length);
        Assert.Contains(result.Problems, p => p.Contains("is not the one in its sidecar"));
        Assert.Contains(result.Problems, p => p.Contains("bytes but its sidecar says"));

        ArchiveSurgery.EditSidecar(archive, sidecar => sidecar.Type = "Database");
        var problem = Assert.Single(TestAll(destination).Result.Problems);
        Assert.Contains("its sidecar gives the type as 'Database'", problem);
    }

    [Fact]
    public void A_missing_parent_is_detected_and_a_present_one_passes()
    {
        const string parent = "2001-01-01_00-00-00";
        var (destination, archive) = CopyOfReference();
        ArchiveSurgery.EditManifest(archive, manifest => manifest.Parent = parent);
        ArchiveSurgery.EditSidecar(archive, sidecar => sidecar.Parent = parent);

        var problem = Assert.Single(TestAll(destination).Result.Problems);
        Assert.Contains($"parent backup '{parent}'", problem);
        Assert.Contains("missing", problem);

        // Put a backup with that id beside it: the chain is whole.
        var parentArchive = Path.Combine(Path.GetDirectoryName(archive)!, parent + ArchiveLayout.ArchiveExtension);
        File.Copy(_reference.Backup.Path, parentArchive);
        File.Copy(_reference.Backup.SidecarPath, BackupCatalog.SidecarPathFor(parentArchive));
        var result = _ps.Run("Test-WpBackup -Path $p", Vars(("p", archive))).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(result.Passed, string.Join("\n", result.Problems));
    }

    [Fact]
    public void A_dump_cut_short_is_caught_by_its_completion_marker_alone()
    {
        var (destination, archive) = CopyOfReference();
        string? sha = null;
        long size = 0;
        ArchiveSurgery.Rewrite(archive, (name, bytes) =>
        {
            if (name == ArchiveLayout.DatabaseEntry)
            {
                var text = Encoding.UTF8.GetString(bytes);
                Assert.EndsWith("-- Dump completed\n", text);
                var cut = Encoding.UTF8.GetBytes(text[..text.LastIndexOf("\nINSERT INTO", StringComparison.Ordinal)] + "\n");
                (sha, size) = (Convert.ToHexString(SHA256.HashData(cut)).ToLowerInvariant(), cut.Length);
                return cut;
            }
            if (name != ArchiveLayout.ManifestEntry)
                return bytes;
            var manifest = BackupManifest.FromJson(bytes); // the manifest agrees with the cut dump
            manifest.Database!.DumpSha256 = sha;
            manifest.Database.DumpSize = size;
            return manifest.ToJson();
        });
        ArchiveSurgery.EditSidecar(archive, sidecar => (sidecar.Database!.DumpSha256, sidecar.Database.DumpSize) = (sha, size));

        var problem = Assert.Single(TestAll(destination).Result.Problems);
        Assert.Contains("completion marker", problem);
        Assert.Contains("cut short", problem);
    }

    [Fact]
    public void A_manifest_that_disagrees_with_a_file_is_detected()
    {
        var (destination, archive) = CopyOfReference();
        ArchiveSurgery.Rewrite(archive, (name, bytes) =>
            name == "files/index.php" ? [.. bytes, .. "// changed after the backup\n"u8.ToArray()] : bytes);

        var problem = Assert.Single(TestAll(destination).Result.Problems);
        Assert.Equal("'index.php' does not match its SHA-256 in the manifest", problem);
    }

    [Fact]
    public void A_missing_archive_is_an_error_and_the_pipeline_goes_on_with_the_next_backup()
    {
        var (gone, goneArchive) = CopyOfReference();
        var (intact, _) = CopyOfReference();
        File.Delete(goneArchive);

        var pipeline = _ps.Run("@(Get-WpBackup -Destination $a) + @(Get-WpBackup -Destination $b) | Test-WpBackup", Vars(("a", gone), ("b", intact)));
        var error = Assert.Single(pipeline.Errors);
        Assert.StartsWith("ArchiveNotFound", error.FullyQualifiedErrorId);
        Assert.Contains(goneArchive, error.Exception.Message);
        Assert.True(pipeline.Single<WpBackupTestResult>().Passed);

        var missingPath = _ps.Run("Test-WpBackup -Path $p", Vars(("p", goneArchive)));
        Assert.StartsWith("ArchiveNotFound", Assert.Single(missingPath.Errors).FullyQualifiedErrorId);
        Assert.Empty(missingPath.Output);
    }

    [Fact]
    public void Scratch_parameters_without_Deep_are_refused()
    {
        var (destination, _) = CopyOfReference();
        var pipeline = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -ScratchDatabaseName x", Vars(("d", destination)));
        Assert.StartsWith("ScratchWithoutDeep", Assert.Single(pipeline.Errors).FullyQualifiedErrorId);
        Assert.Empty(pipeline.Output);
    }

    [Fact]
    public async Task Test_WpBackup_is_exported_with_its_parameters_and_prints_as_a_table()
    {
        var command = _ps.Run("Get-Command Test-WpBackup").ShouldSucceed().Single<System.Management.Automation.CmdletInfo>();
        foreach (var parameter in new[] { "Backup", "Path", "Deep", "ScratchDatabaseHost", "ScratchDatabaseCredential", "ScratchDatabaseName", "ScratchPath" })
            Assert.Contains(parameter, command.Parameters.Keys);

        var (destination, _) = CopyOfReference();
        var shell = await Shell.ShellProcess.CommandAsync($"Get-WpBackup -Destination '{destination}' | Test-WpBackup");
        Assert.True(shell.ExitCode == 0, shell.ToString());
        var header = shell.StdOut.Split('\n').First(line => line.Contains("Passed"));
        Assert.Equal(["Site", "BackupId", "Passed", "Deep", "Files", "Checked", "Duration", "Problems"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(_reference.Backup.Id, shell.StdOut);
    }

    public void Dispose() => _ps.Dispose();
}
