using System.Security;
using System.Text.Json;
using WpBackup.Core;
using WpBackup.Tests.Crypto;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Encryption;

/// <summary>
/// New-WpBackup -Encrypt to local folders and reading the result back (Get/Test/Restore-WpBackup with
/// -IdentityFile or -Passphrase), through the real PowerShell engine, with keys from the real age-keygen
/// and archives opened by the real age CLI. Files-only backups of small WordPress-shaped folders.
/// </summary>
public sealed class EncryptedBackupTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    internal static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
            secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    private (string Root, string Dest, string Key, string Recipient) Setup(string host = "enc.example")
    {
        var root = MiniSite.Create(_temp.Combine("www", host, "htdocs"));
        File.WriteAllBytes(Path.Combine(root, "wp-content", "uploads", "photo.bin"), Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 % 251)).ToArray());
        var key = _temp.Combine("key.txt");
        var recipient = File.Exists(key) ? File.ReadAllLines(key).Single(l => l.StartsWith("# public key: ", StringComparison.Ordinal))[14..] : AgeCli.KeyGen(key);
        return (root, _temp.Combine("backups"), key, recipient);
    }

    private BackupInfo Backup(string root, string dest, string recipient) =>
        _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d -Encrypt -Recipient $r", Vars(("p", root), ("d", dest), ("r", recipient)))
            .ShouldSucceed().Single<BackupInfo>();

    [Fact]
    public void Encrypted_backup_is_an_age_file_the_age_cli_opens_and_its_sidecar_names_the_recipients()
    {
        var (root, dest, key, recipient) = Setup();
        var backup = Backup(root, dest, recipient);

        Assert.EndsWith(".tar.zst.age", backup.Path, StringComparison.Ordinal);
        Assert.True(backup.Encrypted);
        Assert.Equal([recipient], backup.Recipients);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(backup.Path)!, backup.Id + ".json"), backup.SidecarPath);
        Assert.True(File.Exists(backup.SidecarPath));
        Assert.False(File.Exists(Path.ChangeExtension(backup.Path, null))); // no plain .tar.zst beside it

        var bytes = File.ReadAllBytes(backup.Path);
        Assert.Equal(bytes.Length, backup.Size);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant(), backup.Sha256);
        using (var sidecar = JsonDocument.Parse(File.ReadAllBytes(backup.SidecarPath)))
        {
            Assert.True(sidecar.RootElement.GetProperty("encrypted").GetBoolean());
            Assert.Equal(recipient, Assert.Single(sidecar.RootElement.GetProperty("recipients").EnumerateArray()).GetString());
            Assert.True(sidecar.RootElement.GetProperty("manifestOffset").GetInt64() > 0); // in the age plaintext: where the manifest's chunks are
            Assert.DoesNotContain("AGE-SECRET-KEY", sidecar.RootElement.GetRawText());
        }

        var listing = ExternalTool.Run("sh", "-c", "age -d -i \"$1\" \"$2\" | tar --zstd -t", "sh", key, backup.Path);
        Assert.True(listing.ExitCode == 0, listing.StandardError);
        var names = listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("files/wp-content/uploads/photo.bin", names);
        Assert.Equal("wpbackup.json", names[^1]);

        var listed = _ps.Run("Get-WpBackup -Destination $d", Vars(("d", dest))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(backup.Path, listed.Path);
        Assert.True(listed.Encrypted);
    }

    [Fact]
    public void X25519_round_trip_restores_the_same_tree_and_Test_WpBackup_passes_with_the_key()
    {
        var (root, dest, key, recipient) = Setup();
        var before = TreeSnapshot.Take(root);
        Backup(root, dest, recipient);

        var test = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -IdentityFile $k", Vars(("d", dest), ("k", key))).ShouldSucceed().Single<WpBackupTestResult>();
        Assert.True(test.Passed, string.Join("; ", test.Problems));
        Assert.True(test.CheckedFiles >= 4);

        Directory.Delete(root, recursive: true);
        _ps.Run("Get-WpBackup -Destination $d | Restore-WpBackup -IdentityFile $k -Confirm:$false", Vars(("d", dest), ("k", key))).ShouldSucceed().Single<WpRestoreResult>();
        Assert.Equal(before, TreeSnapshot.Take(root));
    }

    [Fact]
    public void Passphrase_round_trip_records_passphrase_as_the_recipient()
    {
        var (root, dest, _, _) = Setup();
        var before = TreeSnapshot.Take(root);
        var backup = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d -Encrypt -Passphrase $pw",
            Vars(("p", root), ("d", dest), ("pw", Secure("correct horse battery")))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(["passphrase"], backup.Recipients);
        Assert.DoesNotContain("correct horse", File.ReadAllText(backup.SidecarPath));

        var target = _temp.Combine("restored");
        _ps.Run("Restore-WpBackup -Path $a -Target $t -Passphrase $pw -Confirm:$false",
            Vars(("a", backup.Path), ("t", target), ("pw", Secure("correct horse battery")))).ShouldSucceed();
        Assert.Equal(before, TreeSnapshot.Take(target));

        var wrong = _ps.Run("Restore-WpBackup -Path $a -Target $t -Passphrase $pw -Confirm:$false",
            Vars(("a", backup.Path), ("t", target), ("pw", Secure("wrong"))));
        Assert.StartsWith("AgeWrongPassphrase", Assert.Single(wrong.Errors).FullyQualifiedErrorId);
        Assert.Equal(before, TreeSnapshot.Take(target));
    }

    [Fact]
    public void Wrong_or_missing_identity_is_a_clear_error_and_the_target_is_untouched()
    {
        var (root, dest, _, recipient) = Setup();
        Backup(root, dest, recipient);
        File.WriteAllText(Path.Combine(root, "changed-after.txt"), "still here");
        var before = TreeSnapshot.Take(root);
        var siblings = Directory.GetFileSystemEntries(Path.GetDirectoryName(root)!).Order().ToArray();
        var otherKey = _temp.Combine("other-key.txt");
        AgeCli.KeyGen(otherKey);

        var wrong = _ps.Run("Get-WpBackup -Destination $d | Restore-WpBackup -IdentityFile $k -Confirm:$false", Vars(("d", dest), ("k", otherKey)));
        var error = Assert.Single(wrong.Errors);
        Assert.StartsWith("AgeNoMatchingIdentity", error.FullyQualifiedErrorId);
        Assert.Empty(wrong.Output);

        var missing = _ps.Run("Get-WpBackup -Destination $d | Restore-WpBackup -Confirm:$false", Vars(("d", dest)));
        Assert.StartsWith("AgeNoMatchingIdentity", Assert.Single(missing.Errors).FullyQualifiedErrorId);
        Assert.Contains("-IdentityFile", missing.Errors[0].Exception.Message);

        var test = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -IdentityFile $k", Vars(("d", dest), ("k", otherKey)));
        Assert.StartsWith("AgeNoMatchingIdentity", Assert.Single(test.Errors).FullyQualifiedErrorId);

        Assert.Equal(before, TreeSnapshot.Take(root));
        Assert.Equal(siblings, Directory.GetFileSystemEntries(Path.GetDirectoryName(root)!).Order().ToArray());
    }

    [Fact]
    public void Tampered_ciphertext_fails_authentication_and_nothing_is_restored()
    {
        var (root, dest, key, recipient) = Setup();
        var backup = Backup(root, dest, recipient);
        var bytes = File.ReadAllBytes(backup.Path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(backup.Path, bytes);
        File.WriteAllText(Path.Combine(root, "changed-after.txt"), "still here");
        var before = TreeSnapshot.Take(root);
        var siblings = Directory.GetFileSystemEntries(Path.GetDirectoryName(root)!).Order().ToArray();

        var result = _ps.Run("Get-WpBackup -Destination $d | Restore-WpBackup -IdentityFile $k -Confirm:$false", Vars(("d", dest), ("k", key)));
        Assert.StartsWith("AgePayloadAuthenticationFailed", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(before, TreeSnapshot.Take(root));
        Assert.Equal(siblings, Directory.GetFileSystemEntries(Path.GetDirectoryName(root)!).Order().ToArray());

        var test = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -IdentityFile $k", Vars(("d", dest), ("k", key))).Single<WpBackupTestResult>();
        Assert.False(test.Passed);
        Assert.Contains(test.Problems, p => p.Contains("AgePayloadAuthenticationFailed", StringComparison.Ordinal));
    }

    [Fact]
    public void Get_WpBackup_Path_reads_an_encrypted_archive_without_its_sidecar_with_the_key()
    {
        var (root, dest, key, recipient) = Setup();
        var backup = Backup(root, dest, recipient);
        File.Delete(backup.SidecarPath);

        var read = _ps.Run("Get-WpBackup -Path $a -IdentityFile $k", Vars(("a", backup.Path), ("k", key))).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal(backup.Id, read.Id);
        Assert.True(read.Encrypted);

        var noKey = _ps.Run("Get-WpBackup -Path $a", Vars(("a", backup.Path)));
        Assert.StartsWith("AgeNoMatchingIdentity", Assert.Single(noKey.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Encrypt_without_recipients_and_recipients_without_Encrypt_are_refused()
    {
        var (root, dest, _, recipient) = Setup();
        var none = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d -Encrypt", Vars(("p", root), ("d", dest)));
        Assert.StartsWith("AgeNoRecipients", Assert.Single(none.Errors).FullyQualifiedErrorId);
        var noSwitch = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d -Recipient $r", Vars(("p", root), ("d", dest), ("r", recipient)));
        Assert.StartsWith("RecipientWithoutEncrypt", Assert.Single(noSwitch.Errors).FullyQualifiedErrorId);
        Assert.False(Directory.Exists(dest) && Directory.EnumerateFiles(dest, "*", SearchOption.AllDirectories).Any());
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
