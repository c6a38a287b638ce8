using System.Text.Json;
using WpBackup.Core.Errors;
using WpBackup.Core.Storage;

namespace WpBackup.Tests.S3;

public sealed class S3LocationTests
{
    [Theory]
    [InlineData("s3://backups", "backups", "")]
    [InlineData("s3://backups/", "backups", "")]
    [InlineData("S3://backups/wp", "backups", "wp")]
    [InlineData("s3://my.bucket-1/a/b/c/", "my.bucket-1", "a/b/c")]
    [InlineData("s3://backups//a///b", "backups", "a/b")]
    public void S3_urls_parse_into_bucket_and_prefix(string url, string bucket, string prefix)
    {
        var location = Assert.IsType<S3Location>(StorageLocation.Parse(url));
        Assert.Equal(bucket, location.Bucket);
        Assert.Equal(prefix, location.Prefix);
        Assert.True(StorageLocation.IsS3Url(url));
    }

    [Fact]
    public void Keys_are_relative_to_the_prefix()
    {
        var location = S3Location.FromUrl("s3://backups/wp/prod", new S3Settings());
        Assert.Equal("wp/prod/example.com/2026-11-22_10-00-00.tar.zst", location.ObjectKey(BackupKeys.Archive("example.com", "2026-11-22_10-00-00")));
        Assert.Equal("wp/prod/example.com/2026-11-22_10-00-00.json", location.ObjectKey(BackupKeys.Sidecar("example.com", "2026-11-22_10-00-00")));
        Assert.Equal("s3://backups/wp/prod/example.com/", location.UrlOf(BackupKeys.SitePrefix("example.com")));
        var top = S3Location.FromUrl("s3://backups", new S3Settings());
        Assert.Equal("example.com/x.json", top.ObjectKey("example.com/x.json"));
    }

    [Fact]
    public void Anything_else_is_a_folder()
    {
        var location = Assert.IsType<LocalStorageLocation>(StorageLocation.Parse("relative/backups"));
        Assert.Equal(Path.GetFullPath("relative/backups"), location.Root);
        Assert.IsType<LocalStorageLocation>(StorageLocation.Parse("/var/backups/wp"));
    }

    [Theory]
    [InlineData("https://example.com/backups", "DestinationSchemeUnsupported")]
    [InlineData("sftp://host/backups", "DestinationSchemeUnsupported")]
    [InlineData("s3://", "S3BucketNameInvalid")]
    [InlineData("s3://ab", "S3BucketNameInvalid")]
    [InlineData("s3://Upper-Case", "S3BucketNameInvalid")]
    [InlineData("s3://-dash", "S3BucketNameInvalid")]
    [InlineData("s3://a..b", "S3BucketNameInvalid")]
    [InlineData("s3://AKIAKEY:s3cr3tVALUE@bucket/x", "S3UrlHasCredentials")]
    [InlineData("s3://bucket/x?endpoint=y", "S3UrlInvalid")]
    [InlineData("s3://bucket/a/../b", "S3PrefixInvalid")]
    [InlineData("  ", "DestinationEmpty")]
    public void Bad_destinations_are_refused_with_a_stable_ErrorId(string destination, string errorId)
    {
        var e = Assert.ThrowsAny<WpBackupException>(() => StorageLocation.Parse(destination));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, e.Kind);
        Assert.DoesNotContain("s3cr3tVALUE", e.Message);
    }

    [Theory]
    [InlineData(1024L * 1024, "S3PartSizeOutOfRange")]
    [InlineData(6L * 1024 * 1024 * 1024, "S3PartSizeOutOfRange")]
    public void Part_sizes_outside_what_S3_accepts_are_refused(long partSize, string errorId)
    {
        var e = Assert.ThrowsAny<WpBackupException>(() => StorageLocation.Parse("s3://bucket", new S3Settings { PartSize = partSize }));
        Assert.Equal(errorId, e.ErrorId);
    }

    [Fact]
    public void Other_settings_are_checked()
    {
        Assert.Equal("S3EndpointInvalid", Assert.ThrowsAny<WpBackupException>(() =>
            StorageLocation.Parse("s3://bucket", new S3Settings { Endpoint = new Uri("ftp://x") })).ErrorId);
        Assert.Equal("S3BandwidthOutOfRange", Assert.ThrowsAny<WpBackupException>(() =>
            StorageLocation.Parse("s3://bucket", new S3Settings { MaxBytesPerSecond = 0 })).ErrorId);
        Assert.Equal("S3ConcurrencyOutOfRange", Assert.ThrowsAny<WpBackupException>(() =>
            StorageLocation.Parse("s3://bucket", new S3Settings { PartsInFlight = 0 })).ErrorId);
        Assert.Equal("S3ListPageSizeOutOfRange", Assert.ThrowsAny<WpBackupException>(() =>
            StorageLocation.Parse("s3://bucket", new S3Settings { ListPageSize = 1001 })).ErrorId);
    }

    [Fact]
    public void Path_style_is_the_default_with_an_endpoint_and_chunk_encoding_is_off()
    {
        var aws = new S3Settings();
        var other = new S3Settings { Endpoint = new Uri("http://127.0.0.1:9000") };
        Assert.False(aws.ChunkEncoding);
        Assert.Contains("virtual-hosted", aws.ToString());
        Assert.Contains("path-style", other.ToString());
        Assert.Contains("virtual-hosted", (other with { PathStyle = false }).ToString());
        Assert.Equal(16 * 1024 * 1024, aws.PartSize);
    }

    [Fact]
    public void The_secret_is_never_in_ToString_or_serialized_settings()
    {
        const string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        const string token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";
        var settings = new S3Settings
        {
            Endpoint = new Uri("https://s3.example.net"),
            Credential = new S3Credential("AKIAIOSFODNN7EXAMPLE", secret, token),
        };
        var location = S3Location.FromUrl("s3://backups/wp", settings);
        var texts = new[]
        {
            settings.Credential.ToString(), settings.ToString(), location.ToString(),
            JsonSerializer.Serialize(settings), JsonSerializer.Serialize(location), JsonSerializer.Serialize(settings.Credential),
        };
        foreach (var text in texts)
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(token, text);
        }
        Assert.Contains("AKIAIOSFODNN7EXAMPLE", settings.ToString());
        Assert.Equal("s3://backups/wp at https://s3.example.net", location.ToString());
        Assert.Null(typeof(S3Credential).GetProperty("AccessKeyId")); // PowerShell shows and serializes public properties only
        Assert.Null(typeof(S3Credential).GetProperty("SecretAccessKey"));
        Assert.Null(typeof(S3Credential).GetProperty("SessionToken"));
    }

    [Fact]
    public void Credential_sources_are_described()
    {
        Assert.Contains("AWS default credentials", new S3Settings().ToString());
        Assert.Contains("profile 'backup'", new S3Settings { Profile = "backup" }.ToString());
        var fromPair = S3Credential.FromNetworkCredential(new System.Net.NetworkCredential("AKIAEXAMPLE", "s3cr3t"));
        Assert.Equal("access key AKIAEXAMPLE (secret hidden)", fromPair.ToString());
    }
}
