using System.Text;
using WpBackup.Core;
using WpBackup.Tests.Crypto;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Inventory;

/// <summary>
/// The inventory's encryption: with a passphrase from SecretManagement. The runspace gets a real
/// Get-Secret function (the command SecretManagement exports, with its parameters), which is what
/// the module calls; the archive is checked with the real age CLI, and the passphrase must appear nowhere.
/// </summary>
public sealed class InventoryEncryptionTests : IDisposable
{
    private const string Secret = "correct-horse-battery-staple-7781";
    private readonly TempFolder _temp = new();
    private readonly string _inventory;
    private readonly PowerShellSession _ps;

    public InventoryEncryptionTests()
    {
        _inventory = _temp.Combine("config", "inventory.yml");
        _ps = new PowerShellSession(new Dictionary<string, string> { ["WPBACKUP_CONFIG"] = _inventory });
        _ps.Run($$"""
            $global:SecretLookups = [System.Collections.Generic.List[string]]::new()
            function Get-Secret {
                [CmdletBinding()]
                param([Parameter(Mandatory)][string] $Name, [string] $Vault, [switch] $AsPlainText)
                $global:SecretLookups.Add($Name)
                if ($Name -ne 'site-backups') { throw "Get-Secret: no secret named '$Name' in any vault." }
                if ($AsPlainText) { '{{Secret}}' } else { [System.Net.NetworkCredential]::new('', '{{Secret}}').SecurePassword }
            }
            """).ShouldSucceed();
    }

    private string Site(string name)
    {
        var root = MiniSite.Create(_temp.Combine("www", name, "htdocs"));
        File.WriteAllText(Path.Combine(root, "wp-content", "uploads", "notes.txt"), "private notes\n");
        return root;
    }

    private void WriteInventory(string root, string dest, string secretName)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_inventory)!);
        File.WriteAllText(_inventory, $$"""
            sites:
              - name: sealed
                root: {{root}}
                destination: {{dest}}
                encryption:
                  passphrase: {secret: {{secretName}}}
            """);
        File.SetUnixFileMode(_inventory, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void A_passphrase_from_SecretManagement_encrypts_the_backup_and_opens_it_again_and_is_never_shown()
    {
        var root = Site("sealed.example");
        var before = TreeSnapshot.Take(root);
        var dest = _temp.Combine("backups");
        var log = _temp.Combine("wpbackup.log");
        WriteInventory(root, dest, "site-backups");

        var made = _ps.Run("Get-WpSite | New-WpBackup -Type Files -Verbose -LogPath $log", new Dictionary<string, object?> { ["log"] = log }).ShouldSucceed();
        var backup = made.Single<BackupInfo>();
        Assert.True(backup.Encrypted);
        Assert.EndsWith(".tar.zst.age", backup.Path);
        Assert.Equal(["passphrase"], backup.Recipients);
        Assert.Equal(["site-backups"], _ps.Run("$global:SecretLookups").Output.Select(o => o.ToString()));

        // the real age CLI opens it with the passphrase
        var plain = _temp.Combine("plain.tar.zst");
        var (exit, terminal) = AgeCli.RunWithPassphrase([Secret], "-d", "-o", plain, backup.Path);
        Assert.True(exit == 0, terminal);
        Assert.Equal(0xFD2FB528u, BitConverter.ToUInt32(File.ReadAllBytes(plain), 0)); // a zstd frame

        // Test- and Restore-WpBackup find the key through the inventory, with no -Passphrase
        var tested = _ps.Run("Get-WpBackup -Destination $d | Test-WpBackup -Verbose", new Dictionary<string, object?> { ["d"] = dest }).ShouldSucceed();
        Assert.True(tested.Single<WpBackupTestResult>().Passed);
        Assert.Contains(tested.Verbose, v => v.Contains("keys from the encryption of site 'sealed'", StringComparison.Ordinal));
        Directory.Delete(root, recursive: true);
        var restored = _ps.Run("Get-WpBackup -Destination $d | Restore-WpBackup -Confirm:$false -Verbose", new Dictionary<string, object?> { ["d"] = dest }).ShouldSucceed();
        Assert.Equal(before, TreeSnapshot.Take(root));

        // nowhere: output (serialized), verbose, warnings, sidecar, log, inventory-derived settings
        var serialized = _ps.Run("Get-WpBackup -Destination $d | ForEach-Object { [System.Management.Automation.PSSerializer]::Serialize($_, 5) }; " +
                                 "Get-WpSite | ForEach-Object { [System.Management.Automation.PSSerializer]::Serialize($_, 5) }",
            new Dictionary<string, object?> { ["d"] = dest }).ShouldSucceed();
        var everything = new StringBuilder()
            .AppendJoin('\n', made.Verbose).AppendJoin('\n', made.Warnings).AppendJoin('\n', made.Output.Select(o => o.ToString()))
            .AppendJoin('\n', tested.Verbose).AppendJoin('\n', restored.Verbose).AppendJoin('\n', restored.Output.Select(o => o.ToString()))
            .AppendJoin('\n', serialized.Output.Select(o => o.ToString()))
            .Append(File.ReadAllText(backup.SidecarPath)).Append(File.ReadAllText(log)).ToString();
        Assert.Contains("site-backups", everything); // the reference may be named...
        Assert.DoesNotContain(Secret, everything);   // ...the secret never
        Assert.True(File.ReadAllBytes(backup.Path).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)) < 0);
    }

    [Fact]
    public void A_secret_SecretManagement_does_not_have_is_an_error_naming_it_and_nothing_is_written()
    {
        var root = Site("missing.example");
        var dest = _temp.Combine("backups");
        WriteInventory(root, dest, "no-such-secret");

        var run = _ps.Run("Get-WpSite | New-WpBackup -Type Files");

        var error = Assert.Single(run.Errors);
        Assert.Equal("InventorySecretUnavailable,WpBackup.Cmdlets.Commands.NewWpBackupCommand", error.FullyQualifiedErrorId);
        Assert.Contains("sites[0].encryption.passphrase {secret: no-such-secret}", error.Exception.Message);
        Assert.Empty(run.Output);
        Assert.False(Directory.Exists(dest));
    }

    public void Dispose()
    {
        _ps.Run("$env:WPBACKUP_CONFIG = $null");
        _ps.Dispose();
        _temp.Dispose();
    }
}
