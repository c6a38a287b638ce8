using System.Text;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Storage;

/// <summary>
/// How to reach an S3-compatible service and how to upload to it. Everything is optional: the
/// defaults talk to AWS with the SDK's credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/
/// AWS_SESSION_TOKEN, AWS_PROFILE and ~/.aws/credentials, then web identity, container and
/// instance roles) and the region from AWS_REGION or the profile.
/// </summary>
public sealed record S3Settings
{
    public const int MinPartSize = 5 * 1024 * 1024;
    public const long MaxPartSize = 5L * 1024 * 1024 * 1024;
    public const int DefaultPartSize = 16 * 1024 * 1024;

    /// <summary>The service URL of a non-AWS service, e.g. <c>http://127.0.0.1:9000</c> or <c>https://s3.example.net</c>.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Signing region; with an <see cref="Endpoint"/> it defaults to us-east-1.</summary>
    public string? Region { get; init; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>); null means: on with an <see cref="Endpoint"/>, off for AWS.</summary>
    public bool? PathStyle { get; init; }

    /// <summary>
    /// aws-chunked (streaming SigV4) request bodies. Off by default: some S3-compatible servers
    /// (s3rver among them) store the chunk framing inside the object and report success. Off, each
    /// body is sent whole with its SHA-256 in the signature.
    /// </summary>
    public bool ChunkEncoding { get; init; }

    /// <summary>A named profile of ~/.aws/credentials or ~/.aws/config; null: the SDK's chain (which honours AWS_PROFILE).</summary>
    public string? Profile { get; init; }

    /// <summary>An explicit key; wins over <see cref="Profile"/> and the environment.</summary>
    public S3Credential? Credential { get; init; }

    /// <summary>Size of each multipart part, buffered in memory (5 MiB to 5 GiB).</summary>
    public long PartSize { get; init; } = DefaultPartSize;

    /// <summary>Parts of one upload being sent at once; memory per upload is about PartSize × (PartsInFlight + 1).</summary>
    public int PartsInFlight { get; init; } = 2;

    /// <summary>Parts being sent at once to one destination, over all its uploads.</summary>
    public int MaxConcurrentPartUploads { get; init; } = 4;

    /// <summary>Upload bandwidth limit of one destination in bytes per second (averaged; null = unlimited).</summary>
    public long? MaxBytesPerSecond { get; init; }

    /// <summary>Archive uploads to one destination running at once (the others wait their turn); null = no limit.</summary>
    public int? MaxConcurrentUploads { get; init; }

    /// <summary>
    /// The limits above as one shared object: every store opened with these settings (or a copy made
    /// with <c>with</c>) shares its bandwidth and slots. Null: each store has its own. Set by <see cref="Shared"/>.
    /// </summary>
    public S3Throttle? Throttle { get; init; }

    /// <summary>These settings with a throttle of their own, to hand to every store of one destination.</summary>
    public S3Settings Shared() => this with { Throttle = new S3Throttle(this) };

    /// <summary>Retries of one failed request (the SDK's backoff applies).</summary>
    public int MaxErrorRetry { get; init; } = 3;

    /// <summary>Time limit of one HTTP request; null: the SDK's default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Checks what the server stored: each part's and object's ETag against the MD5 of the bytes
    /// sent (skipped for SSE-KMS/SSE-C, whose ETags are not MD5s) and the finished object's size.
    /// Content-MD5 is sent either way.
    /// </summary>
    public bool VerifyUploads { get; init; } = true;

    /// <summary>Keys asked for per list request (1 to 1000).</summary>
    public int ListPageSize { get; init; } = 1000;

    internal bool UsesPathStyle => PathStyle ?? Endpoint is not null;

    internal void Validate()
    {
        if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
            throw Invalid("S3EndpointInvalid", $"The S3 endpoint '{endpoint}' is not an http:// or https:// URL.");
        if (PartSize is < MinPartSize or > MaxPartSize)
            throw Invalid("S3PartSizeOutOfRange", $"The S3 part size {PartSize:N0} is out of range; use 5 MiB to 5 GiB.");
        if (PartSize > Array.MaxLength)
            throw Invalid("S3PartSizeOutOfRange", $"The S3 part size {PartSize:N0} is larger than one in-memory buffer can be; use at most {Array.MaxLength:N0}.");
        if (PartsInFlight < 1)
            throw Invalid("S3ConcurrencyOutOfRange", "PartsInFlight must be at least 1.");
        if (MaxConcurrentPartUploads < 1)
            throw Invalid("S3ConcurrencyOutOfRange", "MaxConcurrentPartUploads must be at least 1.");
        if (MaxConcurrentUploads is < 1)
            throw Invalid("S3ConcurrencyOutOfRange", "MaxConcurrentUploads must be at least 1 (or not set, for no limit).");
        if (MaxBytesPerSecond is <= 0)
            throw Invalid("S3BandwidthOutOfRange", "MaxBytesPerSecond must be positive (or not set, for no limit).");
        if (MaxErrorRetry < 0)
            throw Invalid("S3RetryOutOfRange", "MaxErrorRetry must not be negative.");
        if (ListPageSize is < 1 or > 1000)
            throw Invalid("S3ListPageSizeOutOfRange", "ListPageSize must be 1 to 1000.");
    }

    /// <summary>The settings that matter to a reader, never a secret.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Endpoint is null ? "AWS" : Endpoint.ToString());
        if (Region is not null)
            text.Append(", region ").Append(Region);
        text.Append(UsesPathStyle ? ", path-style" : ", virtual-hosted");
        if (ChunkEncoding)
            text.Append(", chunk encoding");
        text.Append(", ").Append(CredentialSource);
        if (MaxBytesPerSecond is { } limit)
            text.Append(", at most ").Append(limit.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" bytes/s");
        if (MaxConcurrentUploads is { } uploads)
            text.Append(", ").Append(uploads).Append(uploads == 1 ? " upload" : " uploads").Append(" at once");
        return text.ToString();
    }

    internal string CredentialSource =>
        Credential is not null ? Credential.ToString() : Profile is not null ? $"profile '{Profile}'" : "AWS default credentials";

    private static WpBackupException Invalid(string errorId, string message) => new(FailureKind.InvalidArgument, errorId, message);
}
