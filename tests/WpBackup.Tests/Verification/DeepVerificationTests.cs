using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Verification;

/// <summary>
/// Test-WpBackup -Deep against the real MariaDB fixture: a real WordPress backup restored into a
/// scratch folder and a scratch database, its tables and address read back, and both gone
/// afterwards — also when the check fails or cannot run.
/// </summary>
[Collection("mariadb")]
public sealed class DeepVerificationTests(MariaDbFixture fixture) : IDisposable
{
    private const string Verifier = "wpbackup_verifier";
    private const string VerifierPassword = "scratch \"pass\" 'word'";
    private readonly PowerShellSession _ps = new();
    private readonly ReferenceBackup _reference = ReferenceBackup.For(fixture);

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    private string Host => $"127.0.0.1:{fixture.Server.Port}";

    private static PSCredential Credential(string user, string password) => new(user, new System.Net.NetworkCredential("", password).SecurePassword);

    /// <summary>An account that may create and drop only wpbackup_verify_* databases: what the README asks for.</summary>
    private PSCredential VerifierAccount()
    {
        foreach (var host in new[] { "127.0.0.1", "localhost" })
            fixture.Server.Query($"""
                CREATE USER IF NOT EXISTS '{Verifier}'@'{host}' IDENTIFIED BY {WpBackup.Sandbox.SqlText.Literal(VerifierPassword)};
                GRANT ALL ON `wpbackup\_verify\_%`.* TO '{Verifier}'@'{host}';
                """);
        return Credential(Verifier, VerifierPassword);
    }

    private string[] ScratchDatabases() =>
        fixture.Server.Query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'wpbackup\\_verify\\_%'")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private (string Destination, string Archive) CopyOfReference()
    {
        var destination = fixture.NewDirectory("deep");
        return (destination, ArchiveSurgery.Copy(_reference.Backup, destination));
    }

    /// <summary>Replaces the dump with <paramref name="sql"/>, with manifest and sidecar agreeing with it.</summary>
    private static void ReplaceDump(string archive, string sql)
    {
        var dump = Encoding.UTF8.GetBytes(sql);
        var sha = Convert.ToHexString(SHA256.HashData(dump)).ToLowerInvariant();
        ArchiveSurgery.Rewrite(archive, (name, bytes) => name switch
        {
            ArchiveLayout.DatabaseEntry => dump,
            ArchiveLayout.ManifestEntry => WithDump(BackupManifest.FromJson(bytes), sha, dump.Length).ToJson(),
            _ => bytes,
        });
        ArchiveSurgery.EditSidecar(archive, sidecar => WithDump(sidecar, sha, dump.Length));
    }

    private static BackupManifest WithDump(BackupManifest manifest, string sha, long size)
    {
        manifest.Database!.DumpSha256 = sha;
        manifest.Database.DumpSize = size;
        return manifest;
    }

    [Fact]
    public void Deep_restores_into_scratch_space_reads_the_site_address_back_and_removes_both()
    {
        var (destination, _) = CopyOfReference();
        var scratch = fixture.NewDirectory("scratch");
        var siteTables = DatabaseState.Take(fixture.Server, _reference.Site.DatabaseName);

        var pipeline = _ps.Run("Get-WpBackup -Destination $d -Newest 1 | Test-WpBackup -Deep -ScratchDatabaseHost $h -ScratchDatabaseCredential $c -ScratchPath $s -Verbose",
            Vars(("d", destination), ("h", Host), ("c", VerifierAccount()), ("s", scratch))).ShouldSucceed();
        var result = pipeline.Single<WpBackupTestResult>();

        Assert.True(result.Passed, string.Join("\n", result.Problems));
        Assert.True(result.Deep);
        Assert.Equal(_reference.Site.SiteUrl, result.SiteUrl);
        Assert.Equal(_reference.Site.SiteUrl, result.Home);
        Assert.Equal(_reference.Backup.FileCount, result.CheckedFiles);
        Assert.Contains(pipeline.Verbose, line => line.Contains("loading the") && line.Contains("wpbackup_verify_"));
        Assert.Contains(pipeline.Verbose, line => line.Contains("dropped the scratch database"));
        Assert.Empty(ScratchDatabases());
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
        Assert.Equal(siteTables, DatabaseState.Take(fixture.Server, _reference.Site.DatabaseName));
    }

    [Fact]
    public void Deep_logs_in_with_the_site_s_own_wp_config_from_the_archive_by_default()
    {
        var site = _reference.Site;
        foreach (var host in new[] { "127.0.0.1", "localhost" })
            fixture.Server.Query($"GRANT ALL ON `wpbackup\\_verify\\_%`.* TO '{site.User}'@'{host}'");
        var (destination, _) = CopyOfReference();
        var before = Directory.GetDirectories(Path.GetTempPath(), "wpbackup-verify-*");

        var result = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -Deep", Vars(("d", destination))).ShouldSucceed().Single<WpBackupTestResult>();

        Assert.True(result.Passed, string.Join("\n", result.Problems));
        Assert.Equal(site.SiteUrl, result.SiteUrl);
        Assert.Empty(ScratchDatabases());
        Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), "wpbackup-verify-*"));
    }

    [Fact]
    public void Deep_names_a_dump_that_does_not_load_and_still_removes_the_scratch_database_and_folder()
    {
        var (destination, archive) = CopyOfReference();
        ReplaceDump(archive, "CREATE TABLE wpv_posts (ID int);\nTHIS IS NOT SQL;\n-- Dump completed\n");
        var scratch = fixture.NewDirectory("scratch");

        var pipeline = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -Deep -ScratchDatabaseHost $h -ScratchDatabaseCredential $c -ScratchPath $s",
            Vars(("d", destination), ("h", Host), ("c", VerifierAccount()), ("s", scratch))).ShouldSucceed();
        var result = pipeline.Single<WpBackupTestResult>();

        Assert.True(result.Deep);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("database.sql did not load into a scratch database", problem);
        Assert.Contains("THIS IS NOT SQL", problem);
        Assert.Single(pipeline.Warnings);
        Assert.Empty(ScratchDatabases());
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
    }

    [Fact]
    public void Deep_names_missing_and_empty_WordPress_tables()
    {
        var (destination, archive) = CopyOfReference();
        ReplaceDump(archive, """
            CREATE TABLE wpv_options (option_id int, option_name varchar(191), option_value longtext);
            INSERT INTO wpv_options VALUES (1, 'siteurl', 'https://old.example'), (2, 'home', 'https://old.example/blog');
            CREATE TABLE wpv_users (ID int);
            -- Dump completed

            """);

        var result = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -Deep -ScratchDatabaseHost $h -ScratchDatabaseCredential $c",
            Vars(("d", destination), ("h", Host), ("c", VerifierAccount()))).ShouldSucceed().Single<WpBackupTestResult>();

        Assert.Equal(
            ["the restored database has no table 'wpv_posts' (table prefix 'wpv_')", "the table 'wpv_users' of the restored database has no rows"],
            result.Problems);
        Assert.Equal("https://old.example", result.SiteUrl);
        Assert.Equal("https://old.example/blog", result.Home);
        Assert.Empty(ScratchDatabases());
    }

    [Fact]
    public void Deep_refuses_a_scratch_database_name_that_exists_and_leaves_that_database_alone()
    {
        const string taken = "wpbackup_verify_taken";
        fixture.Server.Query($"CREATE DATABASE IF NOT EXISTS {taken}; CREATE TABLE IF NOT EXISTS {taken}.keep (id int); INSERT INTO {taken}.keep VALUES (7);");
        try
        {
            var (destination, _) = CopyOfReference();
            var scratch = fixture.NewDirectory("scratch");
            var pipeline = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -Deep -ScratchDatabaseHost $h -ScratchDatabaseCredential $c -ScratchDatabaseName $n -ScratchPath $s",
                Vars(("d", destination), ("h", Host), ("c", VerifierAccount()), ("n", taken), ("s", scratch)));

            var error = Assert.Single(pipeline.Errors);
            Assert.StartsWith("ScratchDatabaseExists", error.FullyQualifiedErrorId);
            Assert.Empty(pipeline.Output);
            Assert.Equal("7", fixture.Server.Query($"SELECT id FROM {taken}.keep").Trim());
            Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
        }
        finally
        {
            fixture.Server.DropDatabase(taken);
        }
    }

    [Fact]
    public void Deep_without_the_right_to_create_a_database_is_an_error_that_names_the_grant()
    {
        fixture.Server.Query("CREATE USER IF NOT EXISTS 'wpbackup_nobody'@'127.0.0.1' IDENTIFIED BY 'nobody'");
        var (destination, _) = CopyOfReference();
        var scratch = fixture.NewDirectory("scratch");

        var pipeline = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -Deep -ScratchDatabaseHost $h -ScratchDatabaseCredential $c -ScratchPath $s",
            Vars(("d", destination), ("h", Host), ("c", Credential("wpbackup_nobody", "nobody")), ("s", scratch)));

        var error = Assert.Single(pipeline.Errors);
        Assert.StartsWith("ScratchDatabaseAccessDenied", error.FullyQualifiedErrorId);
        Assert.Contains("GRANT ALL ON `wpbackup\\_verify\\_%`.*", error.Exception.Message);
        Assert.Empty(pipeline.Output);
        Assert.Empty(ScratchDatabases());
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
    }

    [Fact]
    public void Deep_does_not_restore_a_damaged_archive()
    {
        var (destination, archive) = CopyOfReference();
        ArchiveSurgery.FlipInsideBlock(archive, ArchiveSurgery.ZstdBlockType.Compressed);
        var scratch = fixture.NewDirectory("scratch");

        var result = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -Deep -ScratchDatabaseHost $h -ScratchDatabaseCredential $c -ScratchPath $s",
            Vars(("d", destination), ("h", Host), ("c", VerifierAccount()), ("s", scratch))).ShouldSucceed().Single<WpBackupTestResult>();

        Assert.False(result.Passed);
        Assert.False(result.Deep);
        Assert.Null(result.SiteUrl);
        Assert.Empty(ScratchDatabases());
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
    }

    public void Dispose() => _ps.Dispose();
}
