using System.Management.Automation;
using System.Net;
using WpBackup.Core;
using WpBackup.Core.Storage;
using WpBackup.Sandbox;
using WpBackup.Tests.Crypto;
using WpBackup.Tests.Encryption;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.S3;

/// <summary>
/// Incremental chains in a bucket (the real s3rver) of real WordPress sites with their real MariaDB
/// databases, through the cmdlets: made there directly or copied there, restored, tested (also -Deep),
/// a missing parent named, retention keeping the parents that kept incrementals need.
/// </summary>
[Collection("s3")]
public sealed class S3IncrementalChainTests(S3Fixture fixture, MariaDbFixture db) : IClassFixture<MariaDbFixture>, IDisposable
{
    private const string Verifier = "wpbackup_s3chain_verifier";
    private const string VerifierPassword = "chain-verify";
    private readonly PowerShellSession _ps = new();

    private Dictionary<string, object?> Vars(S3Location location, params (string Name, object? Value)[] values)
    {
        var vars = values.ToDictionary(v => v.Name, v => v.Value);
        vars["bucket"] = $"s3://{location.Bucket}/{location.Prefix}";
        vars["endpoint"] = fixture.Endpoint.ToString();
        vars["cred"] = new PSCredential(S3Fixture.AccessKey, new NetworkCredential("", S3Fixture.SecretKey).SecurePassword);
        return vars;
    }

    private const string S3 = "-S3Endpoint $endpoint -S3Credential $cred";

    private DemoSite Site(string host) =>
        WordPressSiteBuilder.Build(Path.Combine(db.NewDirectory("www"), host, "htdocs"), db.Server, new SiteOptions { HostName = host, PostCount = 20 });

    private static List<string> Keys(S3Location location)
    {
        using var store = new S3BackupStore(location);
        return store.List().Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Changes a file (content and time, beyond the filesystem's time resolution), adds one and a database row.</summary>
    private void Change(DemoSite site, string marker)
    {
        var readme = Path.Combine(site.Root, "readme.html");
        File.WriteAllText(readme, $"changed {marker}");
        File.SetLastWriteTimeUtc(readme, File.GetLastWriteTimeUtc(readme).AddSeconds(5));
        File.WriteAllText(Path.Combine(site.Root, "wp-content", $"added-{marker}.txt"), $"new in {marker}");
        db.Server.Query($"INSERT INTO `{site.DatabaseName}`.wp_options (option_name, option_value) VALUES ('chain_{marker}', '{marker}')");
    }

    private BackupInfo Backup(string type, S3Location location, DemoSite site) =>
        _ps.Run($"New-WpBackup -Path $p -Type {type} -Destination $bucket {S3}", Vars(location, ("p", site.Root))).ShouldSucceed().Single<BackupInfo>();

    /// <summary>The multipart uploads s3rver holds (it implements no ListMultipartUploads); tests in the "s3" collection run one at a time.</summary>
    private List<string> Uploads()
    {
        var folder = Path.Combine(fixture.DataDirectory, S3Fixture.Bucket, "._S3rver_uploads");
        return Directory.Exists(folder) ? [.. Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal)] : [];
    }

    private PSCredential VerifierAccount()
    {
        foreach (var host in new[] { "127.0.0.1", "localhost" })
            db.Server.Query($"""
                CREATE USER IF NOT EXISTS '{Verifier}'@'{host}' IDENTIFIED BY '{VerifierPassword}';
                GRANT ALL ON `wpbackup\_verify\_%`.* TO '{Verifier}'@'{host}';
                """);
        return new PSCredential(Verifier, new NetworkCredential("", VerifierPassword).SecurePassword);
    }

    [Fact]
    public void A_full_and_two_incrementals_straight_into_a_bucket_restore_byte_for_byte_and_pass_a_deep_test()
    {
        var location = fixture.NewLocation();
        var site = Site("s3chain.example");
        var full = Backup("Full", location, site);
        Change(site, "one");
        var first = Backup("Incremental", location, site);
        var filesAtFirst = TreeSnapshot.Take(site.Root);
        Change(site, "two");
        var second = Backup("Incremental", location, site);
        var files = TreeSnapshot.Take(site.Root);
        var tables = DatabaseState.Take(db.Server, site.DatabaseName);

        Assert.Equal(BackupType.Incremental, first.Type);
        Assert.Equal(full.Id, first.Parent);
        Assert.Equal(2, first.StoredFileCount);
        Assert.Equal(first.Id, second.Parent);
        Assert.Equal(2, second.StoredFileCount);
        Assert.Equal(new[] { full.Id, first.Id }, second.Requires.Order(StringComparer.Ordinal));
        Assert.True(second.Size < full.Size / 2, $"{second.Size} vs {full.Size}");
        Assert.Equal(
            new[] { full.Id, first.Id, second.Id }.SelectMany(id => new[] { $"s3chain.example/{id}.json", $"s3chain.example/{id}.tar.zst" }).Order(StringComparer.Ordinal),
            Keys(location));

        var deep = _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Newest 1 | Test-WpBackup -Deep -ScratchDatabaseHost $h -ScratchDatabaseCredential $c -ScratchPath $s",
            Vars(location, ("h", $"127.0.0.1:{db.Server.Port}"), ("c", VerifierAccount()), ("s", db.NewDirectory("scratch")))).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(deep.Passed, string.Join("; ", deep.Problems));
        Assert.True(deep.Deep);
        Assert.Equal("http://s3chain.example", deep.SiteUrl);

        Directory.Delete(site.Root, recursive: true);
        db.Server.DropDatabase(site.DatabaseName);
        var restored = _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Id $id -Site s3chain.example | Restore-WpBackup -Confirm:$false",
            Vars(location, ("id", second.Id))).ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(3, restored.Archives.Count);
        Assert.Equal(files, TreeSnapshot.Take(site.Root));
        Assert.Equal(tables, DatabaseState.Take(db.Server, site.DatabaseName));

        var middle = db.NewDirectory("middle");
        _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Id $id -Site s3chain.example | Restore-WpBackup -Type Files -Target $t -Confirm:$false",
            Vars(location, ("id", first.Id), ("t", middle))).ShouldSucceed();
        Assert.Equal(filesAtFirst, TreeSnapshot.Take(middle));
    }

    [Fact]
    public void Copy_WpBackup_fails_only_the_backup_whose_parent_is_missing_naming_both_and_copies_the_next()
    {
        var location = fixture.NewLocation();
        var chained = Site("orphaned.example");
        var plain = Site("whole.example");
        var local = db.NewDirectory("backups");
        var vars = Vars(location, ("p", chained.Root), ("q", plain.Root), ("d", local));
        var full = _ps.Run("New-WpBackup -Path $p -Type Full -Destination $d", vars).ShouldSucceed().Single<BackupInfo>();
        Change(chained, "orphaned");
        var incremental = _ps.Run("New-WpBackup -Path $p -Type Incremental -Destination $d", vars).ShouldSucceed().Single<BackupInfo>();
        var other = _ps.Run("New-WpBackup -Path $q -Type Full -Destination $d", vars).ShouldSucceed().Single<BackupInfo>();
        File.Delete(full.SidecarPath);
        File.Delete(full.Path);

        var result = _ps.Run($"Get-WpBackup -Destination $d | Copy-WpBackup -Destination $bucket {S3}", vars);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ParentMissing,", error.FullyQualifiedErrorId);
        Assert.Contains($"Backup {incremental} is not copied: it needs backup orphaned.example/{full.Id}, which is not in", error.Exception.Message);
        Assert.Equal(incremental.Path, ((BackupInfo)error.TargetObject).Path);
        Assert.Equal([other.Id], result.All<BackupInfo>().Select(b => b.Id));
        Assert.Equal([$"whole.example/{other.Id}.json", $"whole.example/{other.Id}.tar.zst"], Keys(location));
    }

    [Fact]
    public void Copy_WpBackup_of_an_incremental_listed_from_a_bucket_brings_its_parent_from_that_bucket()
    {
        var source = fixture.NewLocation();
        var target = fixture.NewLocation();
        var site = Site("relayed.example");
        var vars = Vars(target, ("p", site.Root), ("src", $"s3://{source.Bucket}/{source.Prefix}"));
        var full = _ps.Run($"New-WpBackup -Path $p -Type Full -Destination $src {S3}", vars).ShouldSucceed().Single<BackupInfo>();
        Change(site, "relayed");
        var incremental = _ps.Run($"New-WpBackup -Path $p -Type Incremental -Destination $src {S3}", vars).ShouldSucceed().Single<BackupInfo>();

        var copied = _ps.Run($"Get-WpBackup -Destination $src {S3} -Newest 1 | Copy-WpBackup -Destination $bucket {S3}", vars)
            .ShouldSucceed().All<BackupInfo>();

        Assert.Equal([full.Id, incremental.Id], copied.Select(b => b.Id));
        // Keys sort by name: an id made in the same second as the one before ends in "-2", and "-" sorts before ".".
        Assert.Equal(new[] { full.Id, incremental.Id }.SelectMany(id => new[] { $"relayed.example/{id}.json", $"relayed.example/{id}.tar.zst" }).Order(StringComparer.Ordinal),
            Keys(target));
    }

    [Fact]
    public void A_local_chain_copied_with_Copy_WpBackup_restores_and_tests_from_the_bucket()
    {
        var location = fixture.NewLocation();
        var site = Site("copiedchain.example");
        var local = db.NewDirectory("backups");
        var vars = Vars(location, ("p", site.Root), ("d", local));
        var full = _ps.Run("New-WpBackup -Path $p -Type Full -Destination $d", vars).ShouldSucceed().Single<BackupInfo>();
        Change(site, "local");
        var incremental = _ps.Run("New-WpBackup -Path $p -Type Incremental -Destination $d", vars).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(full.Id, incremental.Parent);
        var files = TreeSnapshot.Take(site.Root);

        // Only the incremental is piped: Copy-WpBackup brings its parent along.
        _ps.Run($"Get-WpBackup -Destination $d -Newest 1 | Copy-WpBackup -Destination $bucket {S3}", vars).ShouldSucceed();
        Assert.Contains($"copiedchain.example/{full.Id}.tar.zst", Keys(location));
        Directory.Delete(local, recursive: true);

        var test = _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Newest 1 | Test-WpBackup", vars).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(test.Passed, string.Join("; ", test.Problems));

        Directory.Delete(site.Root, recursive: true);
        var restored = _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Newest 1 | Restore-WpBackup -Type Files -Confirm:$false", vars)
            .ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(incremental.Id, restored.BackupId);
        Assert.Contains(restored.Archives, a => a.EndsWith($"/{full.Id}.tar.zst", StringComparison.Ordinal) && a.StartsWith("s3://", StringComparison.Ordinal));
        Assert.Equal(files, TreeSnapshot.Take(site.Root));
    }

    [Fact]
    public void A_parent_missing_from_the_bucket_is_named_before_anything_is_touched()
    {
        var location = fixture.NewLocation();
        var site = Site("brokenchain.example");
        var full = Backup("Full", location, site);
        Change(site, "gap");
        var incremental = Backup("Incremental", location, site);
        using (var store = new S3BackupStore(location))
            store.Delete($"brokenchain.example/{full.Id}.tar.zst");
        File.WriteAllText(Path.Combine(site.Root, "after.txt"), "must stay");
        var files = TreeSnapshot.Take(site.Root);
        var tables = DatabaseState.Take(db.Server, site.DatabaseName);

        var restore = _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Id $id -Site brokenchain.example | Restore-WpBackup -Confirm:$false",
            Vars(location, ("id", incremental.Id)));
        var error = Assert.Single(restore.Errors);
        Assert.StartsWith("ParentMissing", error.FullyQualifiedErrorId);
        Assert.Contains(full.Id, error.Exception.Message);
        Assert.Contains($"s3://{location.Bucket}/{location.Prefix}/brokenchain.example/{full.Id}.tar.zst", error.Exception.Message);
        Assert.Equal(files, TreeSnapshot.Take(site.Root));
        Assert.Equal(tables, DatabaseState.Take(db.Server, site.DatabaseName));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(site.Root)!), e => Path.GetFileName(e).StartsWith('.'));

        var test = _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Id $id -Site brokenchain.example | Test-WpBackup", Vars(location, ("id", incremental.Id)))
            .ShouldSucceed().Single<WpBackupTestResult>();
        Assert.False(test.Passed);
        Assert.Contains(test.Problems, p => p.Contains(full.Id, StringComparison.Ordinal) && p.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Retention_in_a_bucket_keeps_the_parents_of_kept_incrementals()
    {
        var location = fixture.NewLocation();
        var site = Site("keptchain.example");
        var full = Backup("Full", location, site);
        Change(site, "r1");
        var first = Backup("Incremental", location, site);
        Change(site, "r2");
        var second = Backup("Incremental", location, site);
        var chain = new[] { full.Id, first.Id, second.Id };

        _ps.Run($"Remove-WpBackup -Site keptchain.example -Destination $bucket {S3} -KeepLast 1 -Force -Confirm:$false", Vars(location)).ShouldSucceed();
        var kept = _ps.Run($"Get-WpBackup -Destination $bucket {S3}", Vars(location)).ShouldSucceed().All<BackupInfo>().Select(b => b.Id).Order(StringComparer.Ordinal);
        Assert.Equal(chain.Order(StringComparer.Ordinal), kept);

        var newFull = Backup("Full", location, site);
        _ps.Run($"Remove-WpBackup -Site keptchain.example -Destination $bucket {S3} -KeepLast 1 -Force -Confirm:$false", Vars(location)).ShouldSucceed();
        Assert.Equal([$"keptchain.example/{newFull.Id}.json", $"keptchain.example/{newFull.Id}.tar.zst"], Keys(location));
    }

    [Fact]
    public void An_encrypted_chain_in_a_bucket_restores_with_its_keys_and_a_wrong_key_leaves_nothing()
    {
        var location = fixture.NewLocation();
        var site = Site("sealedchain.example");
        var keys = db.NewDirectory("keys");
        var key = Path.Combine(keys, "key.txt");
        var recipient = AgeCli.KeyGen(key);
        var other = Path.Combine(keys, "other.txt");
        AgeCli.KeyGen(other);
        var vars = Vars(location, ("p", site.Root), ("r", recipient), ("k", key), ("o", other), ("pw", EncryptedBackupTests.Secure("chain passphrase")));
        var full = _ps.Run($"New-WpBackup -Path $p -Type Full -Destination $bucket {S3} -Encrypt -Recipient $r", vars).ShouldSucceed().Single<BackupInfo>();
        Change(site, "sealed");
        var before = Keys(location);
        var uploadsBefore = Uploads();

        var wrong = _ps.Run($"New-WpBackup -Path $p -Type Incremental -Destination $bucket {S3} -Encrypt -Recipient $r -IdentityFile $o", vars);
        var error = Assert.Single(wrong.Errors);
        Assert.StartsWith("AgeNoMatchingIdentity", error.FullyQualifiedErrorId);
        Assert.Contains(full.Id, error.Exception.Message);
        Assert.Equal(before, Keys(location));
        Assert.Equal(uploadsBefore, Uploads()); // refused before a multipart upload was started

        // The parent is opened with the identity; the incremental itself is sealed with the passphrase.
        var incremental = _ps.Run($"New-WpBackup -Path $p -Type Incremental -Destination $bucket {S3} -Encrypt -Passphrase $pw -IdentityFile $k", vars)
            .ShouldSucceed().Single<BackupInfo>();
        Assert.True(incremental.Encrypted);
        Assert.Equal(full.Id, incremental.Parent);
        Assert.Equal(["passphrase"], incremental.Recipients);
        Assert.EndsWith(".tar.zst.age", incremental.Path, StringComparison.Ordinal);
        var files = TreeSnapshot.Take(site.Root);

        File.WriteAllText(Path.Combine(site.Root, "after.txt"), "must stay");
        var changed = TreeSnapshot.Take(site.Root);
        var noParentKey = _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Newest 1 | Restore-WpBackup -Type Files -Passphrase $pw -Confirm:$false", vars);
        Assert.StartsWith("AgeNoMatchingIdentity", Assert.Single(noParentKey.Errors).FullyQualifiedErrorId);
        Assert.Equal(changed, TreeSnapshot.Take(site.Root));
        Assert.Equal(["htdocs"], Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(site.Root)!).Select(Path.GetFileName));

        Directory.Delete(site.Root, recursive: true);

        _ps.Run($"Get-WpBackup -Destination $bucket {S3} -Newest 1 | Restore-WpBackup -Type Files -Passphrase $pw -IdentityFile $k -Confirm:$false", vars).ShouldSucceed();
        Assert.Equal(files, TreeSnapshot.Take(site.Root));
    }

    public void Dispose() => _ps.Dispose();
}
