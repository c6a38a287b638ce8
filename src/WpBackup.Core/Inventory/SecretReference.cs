namespace WpBackup.Core.Inventory;

/// <summary>Where a secret the inventory needs comes from: it never holds the secret itself.</summary>
public enum SecretSource
{
    /// <summary><c>{secret: NAME}</c>: PowerShell SecretManagement's <c>Get-Secret -Name NAME</c>.</summary>
    SecretManagement,

    /// <summary><c>{env: VARIABLE}</c>: an environment variable of the process.</summary>
    Environment,
}

/// <summary>A <c>{secret: NAME}</c> or <c>{env: VARIABLE}</c> value of the inventory, and where it is written.</summary>
public sealed record SecretReference(SecretSource Source, string Name)
{
    /// <summary>The inventory file that names the secret.</summary>
    public string InventoryPath { get; init; } = "";

    /// <summary>Where in the file: line and column, and the key (<c>sites[0].database.password</c>).</summary>
    public int Line { get; init; }
    public int Column { get; init; }
    public string KeyPath { get; init; } = "";

    internal InventoryException Error(string errorId, string message) =>
        new(errorId, InventoryPath, Line > 0 ? new Yaml.SourceMark(Line, Column, 0) : null, KeyPath, $"{KeyPath} {this}: {message}");

    public override string ToString() => Source == SecretSource.Environment ? $"{{env: {Name}}}" : $"{{secret: {Name}}}";
}

/// <summary>Looks secrets up when a site needs them (never when the inventory is only read).</summary>
public interface ISecretResolver
{
    /// <exception cref="InventoryException">The secret cannot be had (ErrorId SecretManagementMissing or InventorySecretUnavailable).</exception>
    string Resolve(SecretReference reference);
}

/// <summary>
/// Resolves <c>{env: …}</c> from the process environment; <c>{secret: …}</c> needs PowerShell
/// SecretManagement, which only the cmdlets can reach, so here it is an error that says so.
/// </summary>
public class EnvironmentSecretResolver : ISecretResolver
{
    public static readonly EnvironmentSecretResolver Instance = new();

    public virtual string Resolve(SecretReference reference)
    {
        if (reference.Source == SecretSource.Environment)
        {
            var value = System.Environment.GetEnvironmentVariable(reference.Name);
            return string.IsNullOrEmpty(value)
                ? throw Unavailable(reference, $"the environment variable '{reference.Name}' is not set (or is empty). Set it before running, or change the inventory.")
                : value;
        }
        throw SecretManagementMissing(reference);
    }

    public static InventoryException SecretManagementMissing(SecretReference reference) =>
        reference.Error(InventoryErrors.SecretManagementMissing,
            $"this needs PowerShell SecretManagement (Get-Secret), which is not installed: Install-Module Microsoft.PowerShell.SecretManagement and a vault (e.g. Microsoft.PowerShell.SecretStore), then Set-Secret -Name {reference.Name}. Or use {{env: VARIABLE}}.");

    public static InventoryException Unavailable(SecretReference reference, string why) =>
        reference.Error(InventoryErrors.SecretUnavailable, why);
}
