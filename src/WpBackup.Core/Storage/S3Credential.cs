namespace WpBackup.Core.Storage;

/// <summary>
/// An explicit S3 access key. The secret (and session token) are held non-public: they never
/// appear in <see cref="ToString"/>, in serialized settings or in error messages.
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

    public string AccessKeyId { get; }

    internal string SecretAccessKey { get; }

    internal string? SessionToken { get; }

    public override string ToString() => $"access key {AccessKeyId} (secret hidden)";
}
