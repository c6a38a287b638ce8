using WpBackup.Core.Errors;
using WpBackup.Core.Inventory.Yaml;

namespace WpBackup.Core.Inventory;

/// <summary>
/// The inventory file is unreadable or wrong. The message starts with <c>FILE:LINE:COLUMN:</c>
/// (as compilers do, so editors jump there) and names the key; the same parts are properties.
/// </summary>
public sealed class InventoryException : WpBackupException
{
    public InventoryException(string errorId, string path, SourceMark? at, string? key, string message, Exception? inner = null)
        : base(KindOf(errorId), errorId, Format(path, at, message), inner)
    {
        Path = path;
        Line = at?.Line;
        Column = at?.Column;
        Key = key;
        Target = path;
    }

    /// <summary>The inventory file.</summary>
    public string Path { get; }

    /// <summary>1-based line the problem is on, when it is about a place in the file.</summary>
    public int? Line { get; }

    public int? Column { get; }

    /// <summary>Where in the document: <c>sites[2].database.password</c>, <c>hosts.web1.port</c>.</summary>
    public string? Key { get; }

    private static string Format(string path, SourceMark? at, string message) =>
        at is { } mark ? $"{path}:{mark.Line}:{mark.Column}: {message}" : $"{path}: {message}";

    private static FailureKind KindOf(string errorId) => errorId switch
    {
        InventoryErrors.NotFound => FailureKind.NotFound,
        InventoryErrors.SiteNotFound => FailureKind.NotFound,
        InventoryErrors.Unreadable => FailureKind.Destination,
        InventoryErrors.SecretManagementMissing or InventoryErrors.SecretUnavailable => FailureKind.InvalidArgument,
        InventoryErrors.AlreadyRegistered => FailureKind.InvalidArgument,
        _ => FailureKind.ConfigParse,
    };
}

/// <summary>The stable ErrorIds of inventory failures (scripts and tests match on them).</summary>
public static class InventoryErrors
{
    public const string NotFound = "InventoryNotFound";
    public const string Unreadable = "InventoryUnreadable";
    public const string TooLarge = "InventoryTooLarge";
    public const string Syntax = "InventorySyntaxError";
    public const string UnknownKey = "InventoryUnknownKey";
    public const string DuplicateKey = "InventoryDuplicateKey";
    public const string WrongType = "InventoryWrongType";
    public const string InvalidValue = "InventoryInvalidValue";
    public const string MissingKey = "InventoryMissingKey";
    public const string LiteralPassword = "InventoryLiteralPassword";
    public const string UnknownHost = "InventoryUnknownHost";
    public const string UnknownPreset = "InventoryUnknownPreset";
    public const string DuplicateSite = "InventoryDuplicateSite";
    public const string TooComplex = "InventoryTooComplex";
    public const string SiteNotFound = "SiteNotInInventory";
    public const string SecretManagementMissing = "SecretManagementMissing";
    public const string SecretUnavailable = "InventorySecretUnavailable";
    public const string AlreadyRegistered = "SiteAlreadyInInventory";
    public const string NotEditable = "InventoryNotEditable";
}
