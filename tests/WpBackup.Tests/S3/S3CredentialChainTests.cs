using System.Text;
using WpBackup.Core.Errors;
using WpBackup.Core.Storage;

namespace WpBackup.Tests.S3;

/// <summary>
/// Credentials from the AWS conventions through the SDK's own chain. These set process-wide
/// environment variables, restored afterwards; only tests of the "s3" collection read them.
/// </summary>
[Collection("s3")]
public sealed class S3CredentialChainTests(S3Fixture s3) : IDisposable
{
    private static readonly string[] Variables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    [Fact]
    public void Keys_from_the_environment_are_used_when_none_are_given()
    {
        Isolate();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3Fixture.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3Fixture.SecretKey);
        using var store = new S3BackupStore(s3.NewLocation(s => s with { Credential = null }));
        store.PutSmall("env/1.json", Encoding.UTF8.GetBytes("{}"));
        Assert.Single(store.List());
    }

    [Fact]
    public void A_named_profile_of_the_shared_credentials_file_is_used()
    {
        Isolate();
        using (var store = new S3BackupStore(s3.NewLocation(s => s with { Credential = null, Profile = "wpbackup" })))
        {
            store.PutSmall("profile/1.json", Encoding.UTF8.GetBytes("{}"));
            Assert.Single(store.List());
        }
        using (var store = new S3BackupStore(s3.NewLocation(s => s with { Credential = null, Profile = "stranger" })))
            Assert.Equal("S3AccessDenied", Assert.Throws<DestinationException>(() => store.List()).ErrorId);

        var missing = Assert.Throws<DestinationException>(() => new S3BackupStore(s3.NewLocation(s => s with { Credential = null, Profile = "absent" })));
        Assert.Equal("S3ProfileNotFound", missing.ErrorId);
    }

    [Fact]
    public void AWS_PROFILE_picks_the_profile_of_the_default_chain()
    {
        Isolate();
        Environment.SetEnvironmentVariable("AWS_PROFILE", "wpbackup");
        using var store = new S3BackupStore(s3.NewLocation(s => s with { Credential = null }));
        store.PutSmall("aws-profile/1.json", Encoding.UTF8.GetBytes("{}"));
        Assert.Single(store.List());
    }

    [Fact]
    public void Explicit_keys_win_over_the_environment()
    {
        Isolate();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "NOBODY");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "x");
        using var store = new S3BackupStore(s3.NewLocation());
        Assert.Empty(store.List());
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
            Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>No keys or profile in the environment; the shared credentials file is the fixture's (<see cref="S3Fixture.SharedCredentials"/>).</summary>
    private static void Isolate()
    {
        foreach (var name in Variables)
            Environment.SetEnvironmentVariable(name, null);
    }
}
