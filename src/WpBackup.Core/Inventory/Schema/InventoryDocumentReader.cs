using System.Text.RegularExpressions;
using WpBackup.Core.Errors;
using WpBackup.Core.Inventory.Yaml;
using WpBackup.Core.Retention;
using WpBackup.Core.Sites;

namespace WpBackup.Core.Inventory.Schema;

/// <summary>
/// Checks an inventory's nodes against the schema (docs/inventory.md) and reads them into an
/// <see cref="InventoryDocument"/>: every key known, every value of its type and range, every
/// host and preset named by a site defined, no password written as text.
/// </summary>
internal sealed partial class InventoryDocumentReader
{
    internal static readonly string[] TopKeys = ["defaults", "hosts", "presets", "sites"];
    internal static readonly string[] DefaultsKeys = ["destination", "copies", "s3", "encryption", "compressionLevel", "throttleLimit", "retention", "exclude", "ssh"];
    internal static readonly string[] PresetKeys = ["destination", "copies", "s3", "encryption", "compressionLevel", "retention", "exclude", "tags", "ssh", "database", "root", "configPath"];
    internal static readonly string[] SiteKeys = ["name", "host", "preset", "root", "configPath", "database", "exclude", "tags", "retention", "destination", "copies", "s3", "encryption", "compressionLevel", "ssh"];
    internal static readonly string[] SshKeys = ["port", "user", "keyFile", "knownHostsFile", "connectTimeout", "keyPassphrase", "password"];
    internal static readonly string[] HostKeys = ["hostName", "preset", .. SshKeys];
    internal static readonly string[] DatabaseKeys = ["name", "host", "user", "password"];
    internal static readonly string[] RetentionKeys = ["keepLast", "keepHourly", "keepDaily", "keepWeekly", "keepMonthly", "keepYearly", "keepWithin", "timeZone"];

    private readonly InventoryContext _context;

    private InventoryDocumentReader(InventoryContext context) => _context = context;

    public static InventoryDocument Read(string text, string path)
    {
        var root = YamlTreeBuilder.Build(text, path);
        return new InventoryDocumentReader(new InventoryContext(path)).ReadDocument(root, text);
    }

    private InventoryDocument ReadDocument(YamlNode? root, string text)
    {
        var top = MappingReader.Of(_context, root, "", "the inventory");
        top.RejectUnknown(TopKeys);
        var document = new InventoryDocument
        {
            Path = _context.Path,
            Text = text,
            Root = root,
            Defaults = ReadLayer(top.Map("defaults", "defaults"), DefaultsKeys),
        };

        var presets = top.Map("presets", "presets");
        foreach (var pair in presets.Entries)
        {
            var name = pair.Key.Value;
            var reader = MappingReader.Of(_context, pair.Value, presets.Path(name), $"preset '{name}'");
            document.Presets[name] = new PresetEntry { Name = name, Settings = ReadLayer(reader, PresetKeys) };
        }

        var hosts = top.Map("hosts", "hosts");
        foreach (var pair in hosts.Entries)
        {
            var key = pair.Key.Value;
            if (key.Length == 0)
                throw _context.Error(InventoryErrors.InvalidValue, pair.Key, hosts.KeyPath, "a host needs a name.");
            var reader = MappingReader.Of(_context, pair.Value, hosts.Path(key), $"host '{key}'");
            reader.RejectUnknown(HostKeys);
            var host = new HostEntry
            {
                Key = key,
                At = pair.Key.Start,
                HostName = reader.Text("hostName"),
                Ssh = ReadSsh(reader),
                Preset = Reference(reader, "preset"),
            };
            CheckPreset(document, host.Preset, reader.Path("preset"));
            document.Hosts[key] = host;
        }

        var sitesNode = top.Value("sites");
        if (sitesNode is not null)
        {
            if (sitesNode.Resolved is not YamlSequence list)
                throw top.WrongType("sites", sitesNode, "a list of sites (lines starting with '- name:')");
            for (var i = 0; i < list.Items.Count; i++)
                document.Sites.Add(ReadSite(document, list.Items[i], $"sites[{i}]"));
        }
        return document;
    }

    private SiteEntry ReadSite(InventoryDocument document, YamlNode node, string keyPath)
    {
        var probe = MappingReader.Of(_context, node, keyPath, $"site {keyPath}");
        if (probe.Node is null)
            throw _context.Error(InventoryErrors.WrongType, node, keyPath, $"{keyPath} is empty; a site is a mapping with at least 'name' and 'root'.");
        var name = probe.Text("name");
        var reader = MappingReader.Of(_context, node, keyPath, name is null ? $"site {keyPath}" : $"site '{name}'");
        reader.RejectUnknown(SiteKeys);
        name = reader.RequiredText("name", "every site needs a unique name (it names the site's backup folder).");
        if (!SiteName().IsMatch(name))
            throw _context.Error(InventoryErrors.InvalidValue, reader.Value("name")!, reader.Path("name"),
                $"the site name '{name}' can only have letters, digits, '.', '-' and '_' (it names a folder), and must start with a letter or digit.");
        if (document.Sites.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { } other)
            throw _context.Error(InventoryErrors.DuplicateSite, reader.Value("name")!, reader.Path("name"),
                $"the site '{name}' is already defined on line {other.At.Line}; site names are unique (they name the backup folders).");

        var host = Reference(reader, "host");
        if (host is { } h && !document.Hosts.ContainsKey(h.Value))
            throw _context.Error(InventoryErrors.UnknownHost, h.At, reader.Path("host"),
                $"site '{name}' is on host '{h.Value}', which is not defined under 'hosts:'." +
                (document.Hosts.Count == 0 ? " Add it there (hosts: {" + h.Value + ": {user: ...}})." : $" Defined hosts: {string.Join(", ", document.Hosts.Keys)}."));
        var preset = Reference(reader, "preset");
        CheckPreset(document, preset, reader.Path("preset"));
        return new SiteEntry
        {
            Name = name,
            At = node.Start,
            KeyPath = keyPath,
            Node = node,
            Host = host,
            Preset = preset,
            Settings = ReadLayer(reader, SiteKeys),
        };
    }

    private void CheckPreset(InventoryDocument document, Located<string>? preset, string keyPath)
    {
        if (preset is { } p && !document.Presets.ContainsKey(p.Value))
            throw _context.Error(InventoryErrors.UnknownPreset, p.At, keyPath,
                $"the preset '{p.Value}' is not defined under 'presets:'." +
                (document.Presets.Count == 0 ? "" : $" Defined presets: {string.Join(", ", document.Presets.Keys)}."));
    }

    private static Located<string>? Reference(MappingReader reader, string key) =>
        reader.Text(key) is { } value ? new Located<string>(value, reader.Value(key)!.Start) : null;

    /// <summary>The settings of defaults, a preset or a site; <paramref name="known"/> are the keys allowed at that level.</summary>
    private SettingsLayer ReadLayer(MappingReader reader, string[] known)
    {
        reader.RejectUnknown(known);
        return new SettingsLayer
        {
            Destination = Destination(reader, "destination"),
            Copies = ReadCopies(reader),
            S3 = reader.Has("s3") ? ReadS3(reader.Map("s3", $"the s3 settings of {reader.What}")) : null,
            Encryption = reader.Has("encryption") ? ReadEncryption(reader.Map("encryption", $"the encryption of {reader.What}")) : null,
            CompressionLevel = reader.Int("compressionLevel", 1, 19),
            ThrottleLimit = reader.Int("throttleLimit", 1, 1024),
            Exclude = reader.TextList("exclude")?.Select(e => e.Value).ToList(),
            Tags = reader.TextList("tags")?.Select(t => t.Value).ToList(),
            Retention = reader.Has("retention") ? ReadRetention(reader.Map("retention", $"the retention of {reader.What}")) : null,
            Database = reader.Has("database") ? ReadDatabase(reader.Map("database", $"the database of {reader.What}")) : null,
            Ssh = reader.Has("ssh") ? ReadSshSection(reader.Map("ssh", $"the ssh settings of {reader.What}")) : null,
            Root = Placeholders(reader, "root"),
            ConfigPath = Placeholders(reader, "configPath"),
        };
    }

    private SshSection ReadSshSection(MappingReader reader)
    {
        reader.RejectUnknown(SshKeys);
        return ReadSsh(reader);
    }

    private SshSection ReadSsh(MappingReader reader) => new()
    {
        Port = reader.Int("port", 1, 65535),
        User = reader.Text("user"),
        KeyFiles = LocalPaths(reader, "keyFile"),
        KnownHostsFiles = LocalPaths(reader, "knownHostsFile"),
        ConnectTimeout = reader.Int("connectTimeout", 1, 600),
        KeyPassphrase = Secret(reader, "keyPassphrase", "key passphrase"),
        Password = Secret(reader, "password", "SSH password"),
    };

    private DatabaseSection ReadDatabase(MappingReader reader)
    {
        reader.RejectUnknown(DatabaseKeys);
        var host = reader.Text("host");
        if (host is not null)
        {
            try
            {
                DatabaseHostParser.Parse(host);
            }
            catch (WpBackupException e)
            {
                throw _context.Error(InventoryErrors.InvalidValue, reader.Value("host")!, reader.Path("host"), $"'host' in {reader.What}: {e.Message}");
            }
        }
        return new DatabaseSection
        {
            Name = reader.Text("name"),
            Host = host,
            User = reader.Text("user"),
            Password = Secret(reader, "password", "database password"),
        };
    }

    private RetentionPolicy ReadRetention(MappingReader reader)
    {
        reader.RejectUnknown(RetentionKeys);
        TimeSpan? within = null;
        if (reader.Text("keepWithin") is { } text)
        {
            within = DurationText.Parse(text);
            if (within is not { Ticks: > 0 })
                throw _context.Error(InventoryErrors.InvalidValue, reader.Value("keepWithin")!, reader.Path("keepWithin"),
                    $"'keepWithin' in {reader.What} must be a positive span such as 30 (days), '12h', '30d' or '2w', not '{text}'.");
        }
        var zone = TimeZoneInfo.Local;
        if (reader.Text("timeZone") is { } zoneName)
        {
            try
            {
                zone = RetentionTimeZone.Resolve(zoneName);
            }
            catch (WpBackupException e)
            {
                throw _context.Error(InventoryErrors.InvalidValue, reader.Value("timeZone")!, reader.Path("timeZone"), e.Message);
            }
        }
        var policy = new RetentionPolicy
        {
            KeepLast = reader.Int("keepLast", 1, int.MaxValue),
            KeepHourly = reader.Int("keepHourly", 1, int.MaxValue),
            KeepDaily = reader.Int("keepDaily", 1, int.MaxValue),
            KeepWeekly = reader.Int("keepWeekly", 1, int.MaxValue),
            KeepMonthly = reader.Int("keepMonthly", 1, int.MaxValue),
            KeepYearly = reader.Int("keepYearly", 1, int.MaxValue),
            KeepWithin = within,
            TimeZone = zone,
        };
        if (!policy.HasKeepRules)
            throw _context.Error(InventoryErrors.MissingKey, reader.Start, reader.KeyPath,
                $"{reader.What} keeps nothing: give at least one of keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin.");
        return policy;
    }

    /// <summary>
    /// <c>{secret: NAME}</c> or <c>{env: VARIABLE}</c>. Anything written as text is refused: the
    /// inventory is a plain file, and a password in it would be one more copy to leak.
    /// </summary>
    private SecretReference? Secret(MappingReader reader, string key, string what)
    {
        var node = reader.Value(key);
        if (node is null)
            return null;
        if (node.Resolved is YamlScalar)
            throw _context.Error(InventoryErrors.LiteralPassword, node, reader.Path(key),
                $"'{key}' in {reader.What} is written as text: a {what} is never kept in the inventory. Write {{secret: NAME}} (PowerShell SecretManagement) or {{env: VARIABLE}}" +
                (what == "database password" ? ", or leave it out: the password in wp-config.php is used." : "."));
        var map = reader.Map(key, $"'{key}' of {reader.What}");
        map.RejectUnknown("secret", "env");
        var secret = map.Text("secret");
        var env = map.Text("env");
        if ((secret is null) == (env is null))
            throw _context.Error(InventoryErrors.MissingKey, node, reader.Path(key),
                $"'{key}' in {reader.What} takes exactly one of {{secret: NAME}} or {{env: VARIABLE}}.");
        return new SecretReference(secret is not null ? SecretSource.SecretManagement : SecretSource.Environment, secret ?? env!)
        {
            InventoryPath = _context.Path,
            Line = node.Start.Line,
            Column = node.Start.Column,
            KeyPath = reader.Path(key),
        };
    }

    private Located<string>? Placeholders(MappingReader reader, string key)
    {
        if (reader.Text(key) is not { } text)
            return null;
        var at = reader.Value(key)!;
        foreach (Match m in Placeholder().Matches(text))
        {
            if (m.Groups[1].Value is not ("name" or "user" or "host"))
                throw _context.Error(InventoryErrors.InvalidValue, at, reader.Path(key),
                    $"'{key}' in {reader.What} uses '{m.Value}'; the placeholders are {{name}} (the site's name), {{user}} (the SSH user) and {{host}} (the host's name).");
        }
        return new Located<string>(text, at.Start);
    }

    private string? LocalPath(MappingReader reader, string key) =>
        reader.Text(key) is { } text ? InventoryPaths.Local(text, _context.Folder) : null;

    /// <summary>A folder (as <see cref="LocalPath"/>) or an s3://bucket/prefix URL, kept as written.</summary>
    private string? Destination(MappingReader reader, string key) =>
        reader.Text(key) is { } text ? DestinationText(text, reader.Value(key)!, reader.Path(key), reader.What) : null;

    private List<string>? LocalPaths(MappingReader reader, string key) =>
        reader.TextList(key)?.Select(p => InventoryPaths.Local(p.Value, _context.Folder)).ToList();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex SiteName();

    [GeneratedRegex(@"\{([^{}]*)\}")]
    internal static partial Regex Placeholder();
}
