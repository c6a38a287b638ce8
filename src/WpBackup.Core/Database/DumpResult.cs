namespace WpBackup.Core.Database;

/// <param name="Sha256">Lower-case hex SHA-256 of the dump as written.</param>
/// <param name="Completed">Whether the dump ends with the tool's completion marker.</param>
public sealed record DumpResult(long Size, string Sha256, bool Completed, string Tool);
