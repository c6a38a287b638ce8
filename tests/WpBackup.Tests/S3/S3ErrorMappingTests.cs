using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using WpBackup.Core.Errors;
using WpBackup.Core.Storage;

namespace WpBackup.Tests.S3;

/// <summary>How SDK failures become ErrorIds, for the answers s3rver cannot give (it checks no signatures or policies).</summary>
public sealed class S3ErrorMappingTests
{
    private static readonly S3Location Location = S3Location.FromUrl("s3://backups/wp",
        new S3Settings { Endpoint = new Uri("http://127.0.0.1:9000"), Credential = new S3Credential("AKIAEXAMPLE", "very-secret") });

    [Theory]
    [InlineData("InvalidAccessKeyId", HttpStatusCode.Forbidden, "S3AccessDenied")]
    [InlineData("SignatureDoesNotMatch", HttpStatusCode.Forbidden, "S3AccessDenied")]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden, "S3AccessDenied")]
    [InlineData("ExpiredToken", HttpStatusCode.BadRequest, "S3AccessDenied")]
    [InlineData(null, HttpStatusCode.Forbidden, "S3AccessDenied")]
    [InlineData("NoSuchBucket", HttpStatusCode.NotFound, "S3BucketNotFound")]
    [InlineData("NoSuchKey", HttpStatusCode.NotFound, "S3ObjectNotFound")]
    [InlineData("SlowDown", HttpStatusCode.ServiceUnavailable, "S3RequestFailed")]
    public void Service_answers_map_to_ErrorIds(string? code, HttpStatusCode status, string errorId)
    {
        var answer = new AmazonS3Exception("the server's words", ErrorType.Sender, code, "req-1", status);
        var mapped = S3Errors.Map(answer, Location, "Listing", "example.com/");
        Assert.Equal(errorId, mapped.ErrorId);
        Assert.Contains("s3://backups/wp/example.com/", mapped.Message);
        Assert.DoesNotContain("very-secret", mapped.Message);
    }

    [Fact]
    public void Network_failures_are_S3Unreachable()
    {
        var refused = new HttpRequestException("Connection refused (127.0.0.1:9000)", new SocketException((int)SocketError.ConnectionRefused));
        var mapped = S3Errors.Map(refused, Location, "Listing", null);
        Assert.IsType<TransportException>(mapped);
        Assert.Equal("S3Unreachable", mapped.ErrorId);
        Assert.Contains("http://127.0.0.1:9000", mapped.Message);
        Assert.Equal("S3Unreachable", S3Errors.Map(new AggregateException(new IOException("reset")), Location, "Reading", "a").ErrorId);
    }

    [Fact]
    public void Missing_credentials_are_S3CredentialsMissing()
    {
        var mapped = S3Errors.Map(new AmazonClientException("Failed to resolve AWS credentials. The credential providers used to search for credentials returned the following errors: ..."),
            Location, "Listing", null);
        Assert.Equal("S3CredentialsMissing", mapped.ErrorId);
        Assert.Contains("AWS_ACCESS_KEY_ID", mapped.Message);
    }
}
