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
}
