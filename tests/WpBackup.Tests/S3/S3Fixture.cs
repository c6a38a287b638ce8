using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using Minio;
using WpBackup.Core.Storage;

namespace WpBackup.Tests.S3;

[CollectionDefinition("s3")]
public sealed class S3Collection : ICollectionFixture<S3Fixture>
{
}

/// <summary>
/// An s3rver (npm, installed into .ci/node by .ci/install-deps.sh; nothing is installed here) on
/// 127.0.0.1 with a private data folder, a free port and one bucket. Tests may stop and restart it
/// (same data folder and port) to break uploads.
/// </summary>
public sealed class S3Fixture : IDisposable
{
    public const string Bucket = "wpbackup-test";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private static readonly TimeSpan ReadinessDeadline = TimeSpan.FromSeconds(30);
    private Process? _server;
    private readonly List<string> _log = [];

    /// <summary>Profiles in the shared credentials file the SDK reads in these tests: the server accepts only [wpbackup].</summary>
    public const string SharedCredentials =
        "[default]\naws_access_key_id = NOBODY\naws_secret_access_key = x\n\n" +
        "[wpbackup]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n\n" +
        "[stranger]\naws_access_key_id = NOBODY\naws_secret_access_key = x\n";

    public S3Fixture()
    {
        // The SDK's credential chain ends with the EC2 instance metadata service; never probe it from tests.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        // Keep the machine's ~/.aws out of the tests. Set before the SDK's first use: it remembers
        // where it found the shared files.
        AwsDirectory = Directory.CreateTempSubdirectory("wpbackup-aws-").FullName;
        File.WriteAllText(Path.Combine(AwsDirectory, "credentials"), SharedCredentials);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(AwsDirectory, "credentials"));
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(AwsDirectory, "config"));
        RepoRoot = FindRepoRoot();
        ServerScript = Path.Combine(RepoRoot, ".ci", "node", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(ServerScript))
            throw new InvalidOperationException($"s3rver is not installed ({ServerScript} is missing): run .ci/install-deps.sh first.");
        DataDirectory = Directory.CreateTempSubdirectory("wpbackup-s3rver-").FullName;
        Port = FreePort();
        Start();
    }

    public string RepoRoot { get; }

    /// <summary>Holds the shared credentials file (<see cref="SharedCredentials"/>) that AWS_SHARED_CREDENTIALS_FILE names.</summary>
    public string AwsDirectory { get; }

    public string ServerScript { get; }

    /// <summary>s3rver's storage; an object lives in DataDirectory/BUCKET/KEY._S3rver_object.</summary>
    public string DataDirectory { get; }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public bool IsRunning => _server is { HasExited: false };

    /// <summary>A location under a fresh prefix with s3rver's endpoint and key; <paramref name="tune"/> changes settings.</summary>
    public S3Location NewLocation(Func<S3Settings, S3Settings>? tune = null, string? prefix = null)
    {
        var settings = new S3Settings { Endpoint = Endpoint, Credential = new S3Credential(AccessKey, SecretKey), MaxErrorRetry = 1 };
        return new S3Location(Bucket, prefix ?? "t-" + Guid.NewGuid().ToString("N")[..10], tune is null ? settings : tune(settings));
    }

    /// <summary>The cmdlet parameters that reach this server with the variables of <see cref="CmdletVariables"/>.</summary>
    public const string CmdletParameters = "-S3Endpoint $endpoint -S3Credential $cred";

    /// <summary>
    /// PowerShell variables for cmdlets run against <paramref name="location"/>: $bucket (s3://bucket/prefix),
    /// $endpoint and $cred (this server's key, as a PSCredential), then <paramref name="values"/>.
    /// </summary>
    public Dictionary<string, object?> CmdletVariables(S3Location location, params (string Name, object? Value)[] values)
    {
        var variables = values.ToDictionary(v => v.Name, v => v.Value);
        variables["bucket"] = $"s3://{location.Bucket}/{location.Prefix}";
        variables["endpoint"] = Endpoint.ToString();
        variables["cred"] = new PSCredential(AccessKey, new NetworkCredential("", SecretKey).SecurePassword);
        return variables;
    }

    /// <summary>An independent client (MinIO's) for the same server.</summary>
    public IMinioClient Minio() =>
        new MinioClient().WithEndpoint("127.0.0.1", Port).WithCredentials(AccessKey, SecretKey).WithSSL(false).Build();

    /// <summary>Kills the server at once, as a crash or a pulled cable would.</summary>
    public void Kill()
    {
        if (_server is not { } server)
            return;
        try
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
            server.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }
        server.Dispose();
        _server = null;
    }

    /// <summary>Starts the server again on the same data folder and port (after <see cref="Kill"/>).</summary>
    public void Start()
    {
        if (IsRunning)
            return;
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // s3rver makes ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17+) keeps in
        // its legacy provider: without this flag every truncated list answers 500 InternalError.
        foreach (var argument in new[] { "--openssl-legacy-provider", ServerScript, "-d", DataDirectory, "-a", "127.0.0.1", "-p", Port.ToString(), "-s", "--configure-bucket", Bucket })
            info.ArgumentList.Add(argument);
        var server = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.Add(e.Data); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.Add(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        _server = server;
        WaitUntilListening(server);
    }

    public void Dispose()
    {
        Kill();
        foreach (var directory in new[] { DataDirectory, AwsDirectory })
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (DirectoryNotFoundException) { }
        }
    }

    private void WaitUntilListening(Process server)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadinessDeadline)
        {
            if (server.HasExited)
                throw new InvalidOperationException($"s3rver exited with {server.ExitCode}: {Log()}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"s3rver did not listen on 127.0.0.1:{Port} within {ReadinessDeadline.TotalSeconds} s: {Log()}");
    }

    private string Log()
    {
        lock (_log)
            return string.Join('\n', _log);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WpBackup.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No WpBackup.sln above {AppContext.BaseDirectory}.");
    }
}
