using System.Text.Json;
using WpBackup.Core;
using WpBackup.Tests.Crypto;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Encryption;

/// <summary>
/// Incremental chains with encrypted members in a folder, through the cmdlets: the parent's file list
/// read with -IdentityFile or -Passphrase, encrypted incrementals the age CLI opens, restores with the
/// keys, and a missing or wrong key refused by name with nothing left behind. Small sites with a real
/// MariaDB database (incrementals always dump it).
/// </summary>
[Collection("mariadb")]
public sealed class EncryptedIncrementalTests : IDisposable
{
    private readonly MariaDbFixture _db;
    private readonly PowerShellSession _ps = new();
    private readonly string _base;
    private readonly string _config;

    public EncryptedIncrementalTests(MariaDbFixture db)
    {
        _db = db;
        _base = db.NewDirectory("encchain");
        var name = "encchain_" + Guid.NewGuid().ToString("N")[..8];
        db.Server.CreateDatabase(name, name, "enc-pass");
        db.Server.Query($"CREATE TABLE `{name}`.wp_options (option_id INT PRIMARY KEY, option_value TEXT); INSERT INTO `{name}`.wp_options VALUES (1, 'x');");
        _config = $"<?php\ndefine('DB_NAME', '{name}');\ndefine('DB_USER', '{name}');\ndefine('DB_PASSWORD', 'enc-pass');\ndefine('DB_HOST', '127.0.0.1:{db.Server.Port}');\n";
    }

    private string Root => Path.Combine(_base, "www", "encchain.example", "htdocs");
    private string Dest => Path.Combine(_base, "backups");

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] values)
    {
        var vars = values.ToDictionary(v => v.Name, v => v.Value);
        vars["p"] = Root;
        vars["d"] = Dest;
        return vars;
    }

    private void CreateSite()
    {
        MiniSite.Create(Root, _config);
        for (var i = 0; i < 10; i++)
            File.WriteAllBytes(Path.Combine(Root, "wp-content", "uploads", $"photo{i}.bin"), Enumerable.Range(0, 100_000).Select(b => (byte)((b * (i + 3)) % 251)).ToArray());
    }

    private (string Key, string Recipient) KeyPair(string name)
    {
        var key = Path.Combine(_base, name);
        return (key, AgeCli.KeyGen(key));
    }

    /// <summary>Changes one file (content and time) and adds one.</summary>
    private void Change(string marker)
    {
        var changed = Path.Combine(Root, "wp-content", "uploads", "photo1.bin");
        File.WriteAllText(changed, $"changed {marker}");
        File.SetLastWriteTimeUtc(changed, File.GetLastWriteTimeUtc(changed).AddSeconds(5));
        File.WriteAllText(Path.Combine(Root, $"added-{marker}.txt"), marker);
    }

    /// <summary>The files in the destination with their bytes (folder times move with the lock file each run takes).</summary>
    private List<string> DestinationState() =>
        TreeSnapshot.Take(Dest).Where(e => !e.Value.StartsWith("dir ", StringComparison.Ordinal)).Select(e => $"{e.Key} {e.Value}").ToList();

    [Fact]
    public void An_encrypted_chain_with_a_recipient_restores_and_the_age_cli_lists_the_incremental()
    {
        CreateSite();
        var (key, recipient) = KeyPair("key.txt");
        var full = _ps.Run("New-WpBackup -Path $p -Type Full -Destination $d -Encrypt -Recipient $r", Vars(("r", recipient))).ShouldSucceed().Single<BackupInfo>();
        Change("one");
        var first = _ps.Run("New-WpBackup -Path $p -Type Incremental -Destination $d -Encrypt -Recipient $r -IdentityFile $k", Vars(("r", recipient), ("k", key)))
            .ShouldSucceed().Single<BackupInfo>();
        Change("two");
        var second = _ps.Run("New-WpBackup -Path $p -Type Incremental -Destination $d -Encrypt -Recipient $r -IdentityFile $k", Vars(("r", recipient), ("k", key)))
            .ShouldSucceed().Single<BackupInfo>();
        var files = TreeSnapshot.Take(Root);

        Assert.Equal(BackupType.Incremental, second.Type);
        Assert.Equal(full.Id, first.Parent);
        Assert.Equal(first.Id, second.Parent);
        Assert.True(second.Encrypted);
        Assert.Equal([recipient], second.Recipients);
        Assert.Equal(2, second.StoredFileCount);
        Assert.Equal(new[] { full.Id, first.Id }, second.Requires.Order(StringComparer.Ordinal));
        var sidecar = File.ReadAllText(second.SidecarPath);
        Assert.DoesNotContain("AGE-SECRET-KEY", sidecar);
        Assert.True(JsonDocument.Parse(sidecar).RootElement.GetProperty("manifestOffset").GetInt64() > 0);

        var listing = ExternalTool.Run("sh", "-c", "age -d -i \"$1\" \"$2\" | tar --zstd -t", "sh", key, second.Path);
        Assert.True(listing.ExitCode == 0, listing.StandardError);
        var names = listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("files/wp-content/uploads/photo1.bin", names);
        Assert.Contains("files/added-two.txt", names);
        Assert.DoesNotContain("files/wp-content/uploads/photo2.bin", names); // unchanged: carried from the full backup
        Assert.Equal("wpbackup.json", names[^1]);

        var test = _ps.Run("Get-WpBackup -Destination $d -Newest 1 | Test-WpBackup -IdentityFile $k", Vars(("k", key))).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(test.Passed, string.Join("; ", test.Problems));

        var target = Path.Combine(_base, "restored");
        var result = _ps.Run("Get-WpBackup -Destination $d -Newest 1 | Restore-WpBackup -Type Files -Target $t -IdentityFile $k -Confirm:$false", Vars(("k", key), ("t", target)))
            .ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(3, result.Archives.Count);
        Assert.Equal(files, TreeSnapshot.Take(target));
    }

    [Fact]
    public void An_encrypted_chain_with_a_passphrase_restores_and_a_plain_incremental_on_it_warns_and_needs_the_key()
    {
        CreateSite();
        var passphrase = EncryptedBackupTests.Secure("incremental passphrase");
        var full = _ps.Run("New-WpBackup -Path $p -Type Full -Destination $d -Encrypt -Passphrase $pw", Vars(("pw", passphrase))).ShouldSucceed().Single<BackupInfo>();
        Change("one");
        var sealedIncremental = _ps.Run("New-WpBackup -Path $p -Type Incremental -Destination $d -Encrypt -Passphrase $pw", Vars(("pw", passphrase)))
            .ShouldSucceed().Single<BackupInfo>();
        Assert.True(sealedIncremental.Encrypted);
        Assert.Equal(full.Id, sealedIncremental.Parent);
        var atSealed = TreeSnapshot.Take(Root);

        // Without -Encrypt the passphrase only opens the parent: the incremental is plain, and says what that means.
        Change("two");
        var plain = _ps.Run("New-WpBackup -Path $p -Type Incremental -Destination $d -Passphrase $pw", Vars(("pw", passphrase))).ShouldSucceed();
        var plainIncremental = plain.Single<BackupInfo>();
        Assert.False(plainIncremental.Encrypted);
        Assert.EndsWith(".tar.zst", plainIncremental.Path, StringComparison.Ordinal);
        Assert.Equal(sealedIncremental.Id, plainIncremental.Parent);
        Assert.Contains(plain.Warnings, w => w.Contains("not encrypted", StringComparison.Ordinal) && w.Contains(sealedIncremental.Id, StringComparison.Ordinal));
        var atPlain = TreeSnapshot.Take(Root);

        var sealedTarget = Path.Combine(_base, "sealed");
        _ps.Run("Get-WpBackup -Destination $d -Id $id -Site encchain.example | Restore-WpBackup -Type Files -Target $t -Passphrase $pw -Confirm:$false",
            Vars(("id", sealedIncremental.Id), ("t", sealedTarget), ("pw", passphrase))).ShouldSucceed();
        Assert.Equal(atSealed, TreeSnapshot.Take(sealedTarget));

        var plainTarget = Path.Combine(_base, "plain");
        var noKey = _ps.Run("Get-WpBackup -Destination $d -Newest 1 | Restore-WpBackup -Type Files -Target $t -Confirm:$false", Vars(("t", plainTarget)));
        var error = Assert.Single(noKey.Errors);
        Assert.StartsWith("AgeNoMatchingIdentity", error.FullyQualifiedErrorId);
        Assert.Contains($"{full.Id}.tar.zst.age", error.Exception.Message); // the first encrypted archive it needs
        Assert.False(Directory.Exists(plainTarget));

        _ps.Run("Get-WpBackup -Destination $d -Newest 1 | Restore-WpBackup -Type Files -Target $t -Passphrase $pw -Confirm:$false",
            Vars(("t", plainTarget), ("pw", passphrase))).ShouldSucceed();
        Assert.Equal(atPlain, TreeSnapshot.Take(plainTarget));
    }

    [Fact]
    public void A_missing_or_wrong_key_for_an_encrypted_parent_is_an_error_naming_it_that_leaves_nothing()
    {
        CreateSite();
        var (_, recipient) = KeyPair("key.txt");
        var (otherKey, _) = KeyPair("other.txt");
        var full = _ps.Run("New-WpBackup -Path $p -Type Full -Destination $d -Encrypt -Recipient $r", Vars(("r", recipient))).ShouldSucceed().Single<BackupInfo>();
        Change("refused");
        var before = DestinationState();

        var noKey = Assert.Single(_ps.Run("New-WpBackup -Path $p -Type Incremental -Destination $d", Vars()).Errors);
        Assert.StartsWith("AgeNoMatchingIdentity", noKey.FullyQualifiedErrorId);
        Assert.Contains(full.Id, noKey.Exception.Message);
        Assert.Contains("-IdentityFile", noKey.Exception.Message);
        Assert.Contains(recipient, noKey.Exception.Message);

        var wrongKey = Assert.Single(_ps.Run("New-WpBackup -Path $p -Type Incremental -Destination $d -Encrypt -Recipient $r -IdentityFile $k",
            Vars(("r", recipient), ("k", otherKey))).Errors);
        Assert.StartsWith("AgeNoMatchingIdentity", wrongKey.FullyQualifiedErrorId);
        Assert.Contains(full.Id, wrongKey.Exception.Message);
        Assert.Equal(before, DestinationState());

        Change("passphrase");
        var passphraseFull = _ps.Run("New-WpBackup -Path $p -Type Full -Destination $d -Encrypt -Passphrase $pw", Vars(("pw", EncryptedBackupTests.Secure("right"))))
            .ShouldSucceed().Single<BackupInfo>();
        var afterSecondFull = DestinationState();
        var wrongPassphrase = Assert.Single(_ps.Run("New-WpBackup -Path $p -Type Incremental -Destination $d -Encrypt -Passphrase $pw",
            Vars(("pw", EncryptedBackupTests.Secure("not-the-passphrase-7731")))).Errors);
        Assert.StartsWith("AgeWrongPassphrase", wrongPassphrase.FullyQualifiedErrorId);
        Assert.Contains(passphraseFull.Id, wrongPassphrase.Exception.Message);
        Assert.DoesNotContain("7731", wrongPassphrase.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(afterSecondFull, DestinationState());
    }

    public void Dispose() => _ps.Dispose();
}
