using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Storage;

/// <summary>Builds the SDK client for an <see cref="S3Location"/>: endpoint, region, addressing, checksums, credentials.</summary>
internal static class S3ClientFactory
{
    /// <summary>The signing region used with a custom endpoint when none is given.</summary>
    public const string DefaultEndpointRegion = "us-east-1";

    public static AmazonS3Client Create(S3Location location)
    {
        var settings = location.Settings;
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.UsesPathStyle,
            MaxErrorRetry = settings.MaxErrorRetry,
            // Flexible checksums (CRC32 trailers) ride on aws-chunked bodies; with chunk encoding off
            // nothing asks for them, so compute checksums only where an operation requires one.
            RequestChecksumCalculation = settings.ChunkEncoding ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = settings.Region ?? DefaultEndpointRegion;
        }
        else if (settings.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        if (settings.Timeout is { } timeout)
            config.Timeout = timeout;

        var credentials = Credentials(settings);
        // No explicit credentials: the SDK's default chain, resolved at the first request.
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    private static AWSCredentials? Credentials(S3Settings settings)
    {
        if (settings.Credential is { } key)
            return key.SessionToken is null
                ? new BasicAWSCredentials(key.AccessKeyId, key.SecretAccessKey)
                : new SessionAWSCredentials(key.AccessKeyId, key.SecretAccessKey, key.SessionToken);
        if (settings.Profile is { } profile)
        {
            if (new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile))
                return fromProfile;
            throw new DestinationException("S3ProfileNotFound",
                $"There is no AWS profile '{profile}' with credentials in ~/.aws/credentials or ~/.aws/config " +
                "(or the files AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE name).");
        }
        return null;
    }
}
