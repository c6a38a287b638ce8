using WpBackup.Core.Errors;
using WpBackup.Core.Inventory.Yaml;
using WpBackup.Core.Storage;

namespace WpBackup.Core.Inventory.Schema;

/// <summary>Where backups go besides the destination (copies), how to reach S3 (s3) and whom to encrypt to (encryption).</summary>
internal sealed partial class InventoryDocumentReader
{
    internal static readonly string[] S3Keys = ["endpoint", "region", "pathStyle", "profile", "accessKeyId", "secretAccessKey"];
    internal static readonly string[] CopyKeys = ["destination", "s3"];
    internal static readonly string[] EncryptionKeys = ["recipients", "passphrase", "identityFile"];

    /// <summary><c>copies:</c> one copy or a list; each a folder, an s3:// URL, or <c>{destination: URL, s3: {...}}</c>.</summary>
    private List<CopyDestination>? ReadCopies(MappingReader reader)
    {
        var node = reader.Value("copies");
        if (node is null)
            return null;
        var items = node.Resolved switch
        {
            YamlScalar or YamlMapping => [node],
            YamlSequence list => list.Items,
            _ => throw reader.WrongType("copies", node, "a destination or a list of destinations (folders or s3://bucket/prefix)"),
        };
        var copies = new List<CopyDestination>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var path = $"{reader.Path("copies")}[{i}]";
            if (item.Resolved is YamlScalar { IsNull: false } text)
            {
                copies.Add(new CopyDestination(DestinationText(text.Value, item, path, reader.What), null));
                continue;
            }
            var map = MappingReader.Of(_context, item, path, $"a copy of {reader.What}");
            if (map.Node is null)
                throw _context.Error(InventoryErrors.WrongType, item, path, $"every item of 'copies' in {reader.What} is a destination (a folder or s3://bucket/prefix), not empty.");
            map.RejectUnknown(CopyKeys);
            var destination = map.RequiredText("destination", "a copy needs a 'destination': a folder or s3://bucket/prefix.");
            var s3 = map.Has("s3") ? ReadS3(map.Map("s3", $"the s3 settings of {map.What}")) : null;
            copies.Add(new CopyDestination(DestinationText(destination, map.Value("destination")!, map.Path("destination"), map.What), s3?.Settings)
            {
                S3Keys = s3?.Keys,
            });
        }
        return copies;
    }

    private string DestinationText(string text, YamlNode at, string path, string what)
    {
        if (!text.Contains("://", StringComparison.Ordinal))
            return InventoryPaths.Local(text, _context.Folder);
        try
        {
            StorageLocation.Parse(text);
        }
        catch (WpBackupException e)
        {
            throw _context.Error(InventoryErrors.InvalidValue, at, path, $"the destination in {what}: {e.Message}");
        }
        return text;
    }

    /// <summary>
    /// <c>s3: {endpoint, region, pathStyle, profile, accessKeyId, secretAccessKey}</c>: how to reach the s3://
    /// destinations. The key comes from a profile or from two secret references, never written here.
    /// </summary>
    private S3Section ReadS3(MappingReader reader)
    {
        reader.RejectUnknown(S3Keys);
        Uri? endpoint = null;
        if (reader.Text("endpoint") is { } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
                throw _context.Error(InventoryErrors.InvalidValue, reader.Value("endpoint")!, reader.Path("endpoint"),
                    $"'endpoint' in {reader.What} must be an http:// or https:// URL such as https://s3.example.net, not '{text}'.");
        }
        var settings = new S3Settings
        {
            Endpoint = endpoint,
            Region = reader.Text("region"),
            PathStyle = reader.Bool("pathStyle"),
            Profile = reader.Text("profile"),
        };
        return new S3Section(settings, ReadS3Keys(reader, settings.Profile is not null));
    }

    /// <summary><c>accessKeyId</c> and <c>secretAccessKey</c>: both or neither, each a secret reference, not with a profile.</summary>
    private S3KeyReferences? ReadS3Keys(MappingReader reader, bool hasProfile)
    {
        var id = Secret(reader, "accessKeyId", "key id of an S3 access key");
        var secret = Secret(reader, "secretAccessKey", "secret of an S3 access key");
        if (id is null && secret is null)
            return null;
        if (id is null || secret is null)
        {
            var (given, missing) = id is null ? ("secretAccessKey", "accessKeyId") : ("accessKeyId", "secretAccessKey");
            throw _context.Error(InventoryErrors.MissingKey, reader.Value(given)!, reader.Path(missing),
                $"{reader.What} gives '{given}' but no '{missing}': an S3 key is both, each {{secret: NAME}} or {{env: VARIABLE}}.");
        }
        if (hasProfile)
            throw _context.Error(InventoryErrors.InvalidValue, reader.Value("profile")!, reader.Path("profile"),
                $"{reader.What} gives both 'profile' and an access key (accessKeyId, secretAccessKey); keep one.");
        return new S3KeyReferences(id, secret);
    }

    /// <summary><c>encryption: {recipients, passphrase, identityFile}</c>: age public keys and/or a passphrase secret; identity files to read backups back.</summary>
    private SiteEncryption ReadEncryption(MappingReader reader)
    {
        reader.RejectUnknown(EncryptionKeys);
        var recipients = reader.TextList("recipients") ?? [];
        foreach (var recipient in recipients)
        {
            if (!recipient.Value.StartsWith("age1", StringComparison.Ordinal))
                throw _context.Error(InventoryErrors.InvalidValue, recipient.At, reader.Path("recipients"),
                    $"'recipients' in {reader.What} are age public keys (age1...), not '{recipient.Value}'. An identity (AGE-SECRET-KEY-1...) belongs in a file named by 'identityFile'.");
        }
        var encryption = new SiteEncryption
        {
            Recipients = [.. recipients.Select(r => r.Value)],
            Passphrase = Secret(reader, "passphrase", "passphrase"),
            IdentityFiles = [.. LocalPaths(reader, "identityFile") ?? []],
        };
        if (encryption.Recipients.Length > 0 && encryption.Passphrase is not null)
            throw _context.Error(InventoryErrors.InvalidValue, reader.Value("passphrase")!, reader.Path("passphrase"),
                $"{reader.What} gives both 'recipients' and 'passphrase'; age encrypts to public keys or with a passphrase, not both. Keep one.");
        if (encryption.Recipients.Length == 0 && encryption.Passphrase is null)
            throw _context.Error(InventoryErrors.MissingKey, reader.Start, reader.KeyPath,
                $"{reader.What} names nobody to encrypt to: give 'recipients' (age1... public keys) or 'passphrase' ({{secret: NAME}} or {{env: VARIABLE}}).");
        return encryption;
    }
}
