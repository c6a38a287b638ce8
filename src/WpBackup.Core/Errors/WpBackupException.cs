namespace WpBackup.Core.Errors;

/// <summary>What kind of failure an exception reports; cmdlets map it to an ErrorCategory.</summary>
public enum FailureKind
{
    InvalidArgument,
    NotFound,
    ConfigParse,
    Database,
    Transport,
    Archive,
    Destination,
    Lock,
    Verification,
}

/// <summary>
/// Base of every failure the engine reports on purpose. <see cref="ErrorId"/> is stable
/// (scripts and tests match on it); the message says what was wrong and what to do.
/// </summary>
public class WpBackupException : Exception
{
    public WpBackupException(FailureKind kind, string errorId, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorId = errorId;
    }

    public FailureKind Kind { get; }
    public string ErrorId { get; }

    /// <summary>The site, backup or path the failure is about, when known.</summary>
    public object? Target { get; init; }
}

public sealed class SiteNotFoundException(string errorId, string message) : WpBackupException(FailureKind.NotFound, errorId, message);

public sealed class WpConfigException(string errorId, string message, Exception? inner = null)
    : WpBackupException(FailureKind.ConfigParse, errorId, message, inner);

public sealed class DatabaseException(string errorId, string message, Exception? inner = null)
    : WpBackupException(FailureKind.Database, errorId, message, inner);

public sealed class ArchiveException(string errorId, string message, Exception? inner = null)
    : WpBackupException(FailureKind.Archive, errorId, message, inner);

public sealed class DestinationException(string errorId, string message, Exception? inner = null)
    : WpBackupException(FailureKind.Destination, errorId, message, inner);

public sealed class BackupNotFoundException(string errorId, string message) : WpBackupException(FailureKind.NotFound, errorId, message);

public sealed class VerificationException(string errorId, string message) : WpBackupException(FailureKind.Verification, errorId, message);

public sealed class TransportException(string errorId, string message, Exception? inner = null)
    : WpBackupException(FailureKind.Transport, errorId, message, inner);
