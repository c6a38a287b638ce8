using WpBackup.Core.Inventory;

namespace WpBackup.Tests.Inventory;

/// <summary>The inventory's copies:, s3: and encryption: keys: how they read, layer and fail.</summary>
public sealed class InventoryStorageTests
{
    private const string Key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    [Fact]
    public void Copies_s3_and_encryption_are_read_and_taken_whole_from_the_first_level_that_has_them()
    {
        var inventory = InventoryText.Parse($"""
            defaults:
              destination: /srv/backups
              copies: [s3://offsite/wp, ./nas]
              s3: {"{"}endpoint: https://s3.example.net, region: eu-1, pathStyle: true, profile: backups{"}"}
              encryption:
                recipients: [{Key}]
                identityFile: ~/.config/wpbackup/key.txt
            sites:
              - {"{"}name: plain, root: /var/www/plain{"}"}
              - name: own
                root: /var/www/own
                destination: s3://primary/own
                copies:
                  - destination: s3://other/own
                    s3: {"{"}endpoint: http://127.0.0.1:9000, profile: other{"}"}
                encryption:
                  passphrase: {"{"}secret: own-backups{"}"}
            """);
        var plain = inventory.Find("plain")!.Settings;
        Assert.Equal("/srv/backups", plain.Destination);
        Assert.Equal(["s3://offsite/wp", "/etc/wpbackup-tests/nas"], plain.Copies.Select(c => c.Destination));
        Assert.All(plain.Copies, c => Assert.Null(c.S3));
        Assert.Equal((new Uri("https://s3.example.net"), "eu-1", (bool?)true, "backups"), (plain.S3!.Endpoint, plain.S3.Region, plain.S3.PathStyle, plain.S3.Profile));
        Assert.Equal([Key], plain.Encryption!.Recipients);
        Assert.Null(plain.Encryption.Passphrase);
        Assert.Equal([Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config/wpbackup/key.txt")], plain.Encryption.IdentityFiles);

        var own = inventory.Find("own")!.Settings;
        Assert.Equal("s3://primary/own", own.Destination);
        var copy = Assert.Single(own.Copies);
        Assert.Equal("s3://other/own", copy.Destination);
        Assert.Equal((new Uri("http://127.0.0.1:9000"), "other"), (copy.S3!.Endpoint, copy.S3.Profile));
        Assert.Equal("backups", own.S3!.Profile); // from defaults: the site has no s3 of its own
        Assert.Empty(own.Encryption!.Recipients); // the site's block wins whole
        Assert.Equal(new SecretReference(SecretSource.SecretManagement, "own-backups"), own.Encryption.Passphrase! with { InventoryPath = "", Line = 0, Column = 0, KeyPath = "" });
    }

    [Theory]
    [InlineData("sites:\n  - {name: a, root: /a, copies: {to: x}}\n", InventoryErrors.UnknownKey, "sites[0].copies[0].to", "Known keys here: destination, s3")]
    [InlineData("sites:\n  - {name: a, root: /a, copies: [{s3: {}}]}\n", InventoryErrors.MissingKey, "sites[0].copies[0].destination", "needs a 'destination'")]
    [InlineData("sites:\n  - {name: a, root: /a, copies: [[x]]}\n", InventoryErrors.WrongType, "sites[0].copies[0]", "must be a mapping")]
    [InlineData("sites:\n  - {name: a, root: /a, copies: [ftp://host/x]}\n", InventoryErrors.InvalidValue, "sites[0].copies[0]", "ftp:// URL")]
    [InlineData("sites:\n  - {name: a, root: /a, destination: s3://}\n", InventoryErrors.InvalidValue, "sites[0].destination", "destination")]
    [InlineData("defaults:\n  s3: {endpoint: s3.example.net}\n", InventoryErrors.InvalidValue, "defaults.s3.endpoint", "http:// or https:// URL")]
    [InlineData("defaults:\n  s3: {pathStyle: yes-please}\n", InventoryErrors.WrongType, "defaults.s3.pathStyle", "true or false")]
    [InlineData("defaults:\n  s3: {secretKey: abc}\n", InventoryErrors.UnknownKey, "defaults.s3.secretKey", "Known keys here: endpoint, region, pathStyle, profile")]
    [InlineData("defaults:\n  s3: {accessKeyId: {env: K}}\n", InventoryErrors.MissingKey, "defaults.s3.secretAccessKey", "gives 'accessKeyId' but no 'secretAccessKey'")]
    [InlineData("defaults:\n  s3: {secretAccessKey: {secret: s}}\n", InventoryErrors.MissingKey, "defaults.s3.accessKeyId", "gives 'secretAccessKey' but no 'accessKeyId'")]
    [InlineData("defaults:\n  s3: {profile: p, accessKeyId: {env: K}, secretAccessKey: {env: S}}\n", InventoryErrors.InvalidValue, "defaults.s3.profile", "keep one")]
    [InlineData("defaults:\n  s3: {accessKeyId: {vault: K}, secretAccessKey: {env: S}}\n", InventoryErrors.UnknownKey, "defaults.s3.accessKeyId.vault", "Known keys here: secret, env")]
    [InlineData("defaults:\n  encryption: {passphrase: hunter2}\n", InventoryErrors.LiteralPassword, "defaults.encryption.passphrase", "never kept in the inventory")]
    [InlineData("defaults:\n  encryption: {recipients: [AGE-SECRET-KEY-1XYZ]}\n", InventoryErrors.InvalidValue, "defaults.encryption.recipients", "identityFile")]
    [InlineData("defaults:\n  encryption: {identityFile: k.txt}\n", InventoryErrors.MissingKey, "defaults.encryption", "names nobody to encrypt to")]
    [InlineData("defaults:\n  encryption: {recipients: [age1abc], passphrase: {env: P}}\n", InventoryErrors.InvalidValue, "defaults.encryption.passphrase", "not both")]
    public void Storage_and_encryption_mistakes_are_errors_naming_the_key(string yaml, string errorId, string key, string words)
    {
        var e = InventoryText.Fails(yaml);
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(key, e.Key);
        Assert.Contains(words, e.Message);
    }

    [Fact]
    public void S3_keys_are_read_as_references_and_a_copy_keeps_its_own()
    {
        var inventory = InventoryText.Parse("""
            defaults:
              s3:
                endpoint: https://s3.example.net
                accessKeyId: {secret: s3-key-id}
                secretAccessKey: {env: S3_SECRET}
            sites:
              - name: a
                root: /var/www/a
                copies:
                  - destination: s3://other/a
                    s3: {accessKeyId: {env: OTHER_ID}, secretAccessKey: {env: OTHER_SECRET}}
            """);
        var settings = inventory.Find("a")!.Settings;
        Assert.Equal((SecretSource.SecretManagement, "s3-key-id", 4, "defaults.s3.accessKeyId"),
            (settings.S3Keys!.AccessKeyId.Source, settings.S3Keys.AccessKeyId.Name, settings.S3Keys.AccessKeyId.Line, settings.S3Keys.AccessKeyId.KeyPath));
        Assert.Equal((SecretSource.Environment, "S3_SECRET"), (settings.S3Keys.SecretAccessKey.Source, settings.S3Keys.SecretAccessKey.Name));
        Assert.Null(settings.S3!.Credential); // reading the inventory looks up no secret
        var copy = Assert.Single(settings.Copies);
        Assert.Equal(("OTHER_ID", "OTHER_SECRET"), (copy.S3Keys!.AccessKeyId.Name, copy.S3Keys.SecretAccessKey.Name));
    }

    [Fact]
    public void A_literal_S3_key_is_refused_naming_file_line_and_key_without_repeating_it()
    {
        var e = InventoryText.Fails("""
            sites:
              - name: a
                root: /var/www/a
                s3:
                  accessKeyId: AKIAIOSFODNN7EXAMPLE
                  secretAccessKey: {env: S3_SECRET}
            """);
        Assert.Equal(InventoryErrors.LiteralPassword, e.ErrorId);
        Assert.Equal((InventoryText.FakePath, 5, "sites[0].s3.accessKeyId"), (e.Path, e.Line, e.Key));
        Assert.StartsWith($"{InventoryText.FakePath}:5:", e.Message);
        Assert.Contains("{secret: NAME}", e.Message);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", e.Message);
    }

    private sealed class CountingResolver : ISecretResolver
    {
        public List<string> Asked { get; } = [];

        public string Resolve(SecretReference reference)
        {
            Asked.Add(reference.Name);
            return "value-of-" + reference.Name;
        }
    }

    [Fact]
    public void S3_keys_are_looked_up_only_for_sites_that_use_a_bucket()
    {
        var inventory = InventoryText.Parse("""
            defaults:
              s3: {accessKeyId: {secret: id}, secretAccessKey: {secret: key}}
            sites:
              - {name: folder, root: /var/www/folder, destination: /srv/backups}
              - {name: bucket, root: /var/www/bucket, destination: s3://wp-backups/bucket}
              - {name: copied, root: /var/www/copied, destination: /srv/backups, copies: [s3://wp-backups/copied]}
            """);
        var secrets = new CountingResolver();

        var folder = inventory.Find("folder")!.Settings;
        Assert.Same(folder, folder.WithS3Credentials(secrets));
        Assert.Empty(secrets.Asked);

        var bucket = inventory.Find("bucket")!.Settings.WithS3Credentials(secrets);
        Assert.Equal(["id", "key"], secrets.Asked);
        Assert.Equal($"access key from {{secret: id}} and {{secret: key}} of {InventoryText.FakePath} line 2", bucket.S3!.Credential!.ToString());
        Assert.Same(bucket, bucket.WithS3Credentials(secrets)); // looked up once

        secrets.Asked.Clear();
        Assert.NotNull(inventory.Find("copied")!.Settings.WithS3Credentials(secrets).S3!.Credential); // its copy uses the site's s3:
        Assert.Equal(["id", "key"], secrets.Asked);
    }
}
