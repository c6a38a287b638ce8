namespace WpBackup.Core.Storage;

/// <summary>
/// An explicit S3 access key. The key id, the secret and the session token are held non-public:
/// PowerShell neither shows nor serializes them, and the secret never appears in <see cref="ToString"/>
/// or in error messages. A key from the inventory shows where it comes from instead of its id.
/// </summary>
public sealed class S3Credential
{
    public S3Credential(string accessKeyId, string secretAccessKey, string? sessionToken = null)
    {
        if (string.IsNullOrWhiteSpace(accessKeyId))
            throw new ArgumentException("The access key id is empty.", nameof(accessKeyId));
        if (string.IsNullOrEmpty(secretAccessKey))
            throw new ArgumentException("The secret access key is empty.", nameof(secretAccessKey));
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
    }

    /// <summary>From a <c>PSCredential</c>-like pair: user name = access key id, password = secret.</summary>
    public static S3Credential FromNetworkCredential(System.Net.NetworkCredential credential, string? sessionToken = null) =>
        new(credential.UserName, credential.Password, sessionToken);

    internal string AccessKeyId { get; }

    internal string SecretAccessKey { get; }

    internal string? SessionToken { get; }

    /// <summary>Where the key was found (the inventory's references), shown instead of the key id; null: given directly.</summary>
    internal string? Source { get; init; }

    public override string ToString() => Source is null ? $"access key {AccessKeyId} (secret hidden)" : $"access key from {Source}";
}
