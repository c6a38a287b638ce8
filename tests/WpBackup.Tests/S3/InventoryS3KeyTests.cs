using System.Management.Automation;
using System.Net;
using WpBackup.Core.Sites;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.S3;

/// <summary>
/// The inventory's s3: access key as references: the key id from SecretManagement (a real Get-Secret
/// function in the runspace, as in InventoryEncryptionTests) and the secret from the environment.
/// Against the real s3rver, which knows only the key S3RVER: the right key backs up and lists, a
/// stranger's is refused, and neither value appears in any output, error, WpSite or sidecar.
/// </summary>
[Collection("s3")]
public sealed class InventoryS3KeyTests : IDisposable
{
    private const string SecretVariable = "WPBACKUP_TEST_S3_SECRET";
    private const string StrangerKeyId = "NOBODY4STRANGER";
    private readonly S3Fixture _fixture;
    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new(new Dictionary<string, string> { [SecretVariable] = S3Fixture.SecretKey });

    public InventoryS3KeyTests(S3Fixture fixture)
    {
        _fixture = fixture;
        _ps.Run($$"""
            function Get-Secret {
                [CmdletBinding()]
                param([Parameter(Mandatory)][string] $Name, [string] $Vault, [switch] $AsPlainText)
                $value = switch ($Name) { 's3-key-id' { '{{S3Fixture.AccessKey}}' } 'stranger-key-id' { '{{StrangerKeyId}}' } default { throw "Get-Secret: no secret named '$Name' in any vault." } }
                if ($AsPlainText) { $value } else { [System.Net.NetworkCredential]::new('', $value).SecurePassword }
            }
            """).ShouldSucceed();
    }

    private (string Inventory, string Bucket, Core.Storage.S3Location Location) Inventory(string keyIdSecret)
    {
        var root = MiniSite.Create(_temp.Combine("www", "keyed", "htdocs"));
        var location = _fixture.NewLocation();
        var bucket = $"s3://{location.Bucket}/{location.Prefix}";
        var path = _temp.Combine("config", "inventory.yml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $$"""
            sites:
              - name: keyed
                root: {{root}}
                destination: {{bucket}}
                retention: {keepLast: 5}
                s3:
                  endpoint: '{{_fixture.Endpoint}}'
                  accessKeyId: {secret: {{keyIdSecret}}}
                  secretAccessKey: {env: {{SecretVariable}}}
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (path, bucket, location);
    }

    [Fact]
    public void Keys_named_as_secrets_back_up_to_the_bucket_and_list_and_are_never_shown_or_stored()
    {
        var (inventory, bucket, location) = Inventory("s3-key-id");
        var vars = new Dictionary<string, object?> { ["inv"] = inventory };

        var sites = _ps.Run("Get-WpSite -ConfigPath $inv -Verbose", vars).ShouldSucceed();
        var site = sites.Single<WpSite>();
        var run = _ps.Run("Get-WpSite -ConfigPath $inv | New-WpBackup -Type Files -Verbose", vars).ShouldSucceed();
        var backup = run.Single<BackupInfo>();
        Assert.StartsWith($"{bucket}/keyed/", backup.Path);

        vars["d"] = bucket;
        vars["endpoint"] = _fixture.Endpoint.ToString();
        vars["cred"] = new PSCredential(S3Fixture.AccessKey, new NetworkCredential("", S3Fixture.SecretKey).SecurePassword);
        var listed = _ps.Run("Get-WpBackup -Destination $d -S3Endpoint $endpoint -S3Credential $cred", vars).ShouldSucceed().Single<BackupInfo>();
        Assert.Equal((backup.Id, backup.Sha256), (listed.Id, listed.Sha256));
        // retention reaches the bucket with the inventory's keys too
        var pruned = _ps.Run("Remove-WpBackup -Site keyed -InventoryPolicy -ConfigPath $inv -Verbose -Confirm:$false", vars).ShouldSucceed();
        Assert.Contains(pruned.Verbose, v => v.Contains("1 backup(s) in " + bucket, StringComparison.Ordinal));

        // the key appears nowhere: not in output, the site object (as PowerShell serializes it) or the sidecar
        Assert.Equal("access key from {secret: s3-key-id} and {env: " + SecretVariable + "} of " + inventory + " line 8",
            site.Settings!.S3!.Credential!.ToString());
        var sidecar = System.Text.Encoding.UTF8.GetString(
            S3TestData.ReadWithMinio(_fixture.Minio(), S3Fixture.Bucket, location.ObjectKey($"keyed/{backup.Id}.json")));
        string[] seen = [.. sites.Verbose, .. run.Verbose, .. run.Warnings, .. pruned.Verbose, PSSerializer.Serialize(site, 20),
            PSSerializer.Serialize(backup, 20), sidecar];
        Assert.All(seen, text => Assert.DoesNotContain(S3Fixture.AccessKey, text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_wrong_key_id_from_the_secret_is_refused_and_the_error_names_the_references_not_the_key()
    {
        var (inventory, _, location) = Inventory("stranger-key-id");

        var run = _ps.Run("Get-WpSite -ConfigPath $inv | New-WpBackup -Type Files", new Dictionary<string, object?> { ["inv"] = inventory });

        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("S3AccessDenied,", error.FullyQualifiedErrorId);
        Assert.Contains("{secret: stranger-key-id}", error.Exception.Message);
        Assert.DoesNotContain(StrangerKeyId, error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(S3Fixture.SecretKey, error.Exception.ToString(), StringComparison.Ordinal);
        using var store = new Core.Storage.S3BackupStore(location);
        Assert.Empty(store.List());
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
