using WpBackup.Core.Inventory.Yaml;
using WpBackup.Core.Retention;

namespace WpBackup.Core.Inventory.Schema;

/// <summary>An inventory as written, checked but not yet layered (see <see cref="InventoryResolver"/>).</summary>
internal sealed class InventoryDocument
{
    public required string Path { get; init; }
    public required string Text { get; init; }
    public YamlNode? Root { get; init; }
    public required SettingsLayer Defaults { get; init; }
    public Dictionary<string, PresetEntry> Presets { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, HostEntry> Hosts { get; } = new(StringComparer.Ordinal);
    public List<SiteEntry> Sites { get; } = [];
}

/// <summary>
/// Settings written at one level (defaults, a preset, a site). Null means "not said here":
/// the next level down decides.
/// </summary>
internal sealed class SettingsLayer
{
    public string? Destination { get; init; }
    public int? CompressionLevel { get; init; }
    public int? ThrottleLimit { get; init; }
    public List<string>? Exclude { get; init; }
    public List<string>? Tags { get; init; }
    public RetentionPolicy? Retention { get; init; }
    public DatabaseSection? Database { get; init; }
    public SshSection? Ssh { get; init; }
    public Located<string>? Root { get; init; }
    public Located<string>? ConfigPath { get; init; }
    public List<CopyDestination>? Copies { get; init; }
    public S3Section? S3 { get; init; }
    public SiteEncryption? Encryption { get; init; }
}

/// <summary>An <c>s3:</c> block: how to reach the service, and the access key it names (references only).</summary>
internal sealed record S3Section(Storage.S3Settings Settings, S3KeyReferences? Keys);

internal sealed class SshSection
{
    public int? Port { get; init; }
    public string? User { get; init; }
    public List<string>? KeyFiles { get; init; }
    public List<string>? KnownHostsFiles { get; init; }
    public int? ConnectTimeout { get; init; }
    public SecretReference? KeyPassphrase { get; init; }
    public SecretReference? Password { get; init; }
}

internal sealed class DatabaseSection
{
    public string? Name { get; init; }
    public string? Host { get; init; }
    public string? User { get; init; }
    public SecretReference? Password { get; init; }
}

internal sealed class PresetEntry
{
    public required string Name { get; init; }
    public required SettingsLayer Settings { get; init; }
}

internal sealed class HostEntry
{
    public required string Key { get; init; }
    public required SourceMark At { get; init; }
    public string? HostName { get; init; }
    public required SshSection Ssh { get; init; }
    public Located<string>? Preset { get; init; }
}

internal sealed class SiteEntry
{
    public required string Name { get; init; }
    public required SourceMark At { get; init; }
    public required string KeyPath { get; init; }
    public required YamlNode Node { get; init; }
    public Located<string>? Host { get; init; }
    public Located<string>? Preset { get; init; }
    public required SettingsLayer Settings { get; init; }
}
