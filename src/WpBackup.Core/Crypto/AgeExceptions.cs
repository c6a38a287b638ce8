using WpBackup.Core.Errors;

namespace WpBackup.Core.Crypto;

/// <summary>Why an age file could not be decrypted.</summary>
public enum AgeFailure
{
    /// <summary>The input does not start with the age v1 header.</summary>
    NotAgeFile,

    /// <summary>An age file of a kind this reader does not handle (ASCII armor, another version).</summary>
    UnsupportedFormat,

    /// <summary>The header breaks the age v1 grammar (a damaged file or not an age file).</summary>
    MalformedHeader,

    /// <summary>None of the identities given opens any of the file's recipient stanzas.</summary>
    NoMatchingIdentity,

    /// <summary>The file is passphrase-encrypted and the passphrase given is not its passphrase.</summary>
    WrongPassphrase,

    /// <summary>The file asks for an scrypt work factor above the accepted maximum.</summary>
    WorkFactorTooHigh,

    /// <summary>A passphrase (scrypt) stanza sits next to other stanzas, which age forbids.</summary>
    PassphraseNotAlone,

    /// <summary>The header MAC does not match: the header was altered.</summary>
    HeaderMacMismatch,

    /// <summary>A payload chunk failed authentication: the ciphertext was altered or cut.</summary>
    PayloadAuthenticationFailed,

    /// <summary>The file ends before its final chunk: it was cut short.</summary>
    Truncated,

    /// <summary>Bytes follow the final chunk.</summary>
    TrailingData,

    /// <summary>The payload breaks the age v1 chunk rules (an empty final chunk after data).</summary>
    MalformedPayload,
}

/// <summary>
/// An age file that cannot be decrypted. Thrown before any plaintext is returned when the
/// file or the keys are wrong; while reading, thrown instead of returning any byte that did
/// not authenticate. <see cref="WpBackupException.ErrorId"/> is "Age" + <see cref="Reason"/>.
/// </summary>
public sealed class AgeDecryptionException : WpBackupException
{
    public AgeDecryptionException(AgeFailure reason, string message, Exception? inner = null)
        : base(KindOf(reason), "Age" + reason, message, inner)
    {
        Reason = reason;
    }

    public AgeFailure Reason { get; }

    private static FailureKind KindOf(AgeFailure reason) => reason switch
    {
        AgeFailure.NoMatchingIdentity or AgeFailure.WrongPassphrase => FailureKind.InvalidArgument,
        AgeFailure.HeaderMacMismatch or AgeFailure.PayloadAuthenticationFailed
            or AgeFailure.Truncated or AgeFailure.TrailingData => FailureKind.Verification,
        _ => FailureKind.Archive,
    };
}

/// <summary>
/// A key, recipient, identity file or recipient list that cannot be used (bad Bech32, wrong
/// type, an empty passphrase, a passphrase mixed with other recipients...).
/// The message never contains secret key material.
/// </summary>
public sealed class AgeKeyException(string errorId, string message, Exception? inner = null)
    : WpBackupException(FailureKind.InvalidArgument, errorId, message, inner);
