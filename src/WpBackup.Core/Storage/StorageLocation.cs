using System.Text.RegularExpressions;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Storage;

/// <summary>
/// Where backups are kept: a directory (<see cref="LocalStorageLocation"/>) or an S3-compatible
/// bucket and key prefix (<see cref="S3Location"/>, written <c>s3://bucket/prefix</c>).
/// </summary>
public abstract class StorageLocation
{
    private static readonly Regex UrlScheme = new("^(?<scheme>[A-Za-z][A-Za-z0-9+.-]+)://", RegexOptions.CultureInvariant);

    private protected StorageLocation()
    {
    }

    /// <summary>
    /// Reads a destination: <c>s3://bucket[/prefix]</c> becomes an <see cref="S3Location"/> with
    /// <paramref name="s3"/> (or default settings: AWS endpoint, the SDK's credential chain); anything
    /// else is a directory path. Other URL schemes are refused rather than taken for a folder name.
    /// </summary>
    public static StorageLocation Parse(string destination, S3Settings? s3 = null)
    {
        if (string.IsNullOrWhiteSpace(destination))
            throw new WpBackupException(FailureKind.InvalidArgument, "DestinationEmpty", "The destination is empty; give a folder path or s3://bucket/prefix.");
        var scheme = UrlScheme.Match(destination);
        if (!scheme.Success)
            return new LocalStorageLocation(destination);
        if (!scheme.Groups["scheme"].Value.Equals("s3", StringComparison.OrdinalIgnoreCase))
            throw new WpBackupException(FailureKind.InvalidArgument, "DestinationSchemeUnsupported",
                $"'{destination}' is a {scheme.Groups["scheme"].Value}:// URL; a destination is a folder path or s3://bucket/prefix.");
        return S3Location.FromUrl(destination, s3 ?? new S3Settings());
    }

    /// <summary>True for <c>s3://...</c> (any case).</summary>
    public static bool IsS3Url(string destination) =>
        destination.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);
}
