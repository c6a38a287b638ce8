using System.Net;
using System.Security;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// How to reach a server over SSH, resolved through ~/.ssh/config. Sites found on a server
/// carry it, so later cmdlets connect the same way. Secrets are held as SecureStrings and are
/// not public properties: PowerShell neither shows nor serializes them.
/// </summary>
public sealed class SshTarget
{
    /// <summary>The name the user gave (an ssh_config alias or a host name).</summary>
    public required string ComputerName { get; init; }
    /// <summary>The host actually connected to.</summary>
    public required string HostName { get; init; }
    public int Port { get; init; } = 22;
    public required string UserName { get; init; }
    /// <summary>Private keys to offer, in order.</summary>
    public IReadOnlyList<string> KeyFiles { get; init; } = [];
    /// <summary>True when the key files were given explicitly (a key that fails to load is then an error, not skipped).</summary>
    public bool KeyFilesExplicit { get; init; }
    /// <summary>The name looked up in known_hosts (ssh_config HostKeyAlias, else HostName).</summary>
    public required string KnownHostsName { get; init; }
    /// <summary>A host key fingerprint (SHA256:...) to accept and record when the host is not yet known.</summary>
    public string? TrustHostKey { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>known_hosts files to read; the user's and the system's when empty.</summary>
    public IReadOnlyList<string> KnownHostsFiles { get; init; } = [];

    public bool HasPassword => Password is not null;
    public bool HasKeyPassphrase => KeyPassphrase is not null;

    internal SecureString? Password { get; init; }
    internal SecureString? KeyPassphrase { get; init; }

    internal static string? Reveal(SecureString? secret) => secret is null ? null : new NetworkCredential("", secret).Password;

    /// <summary>Sites on one server share one connection: this says which.</summary>
    internal string ConnectionKey => $"{UserName}@{HostName}:{Port}|{string.Join(',', KeyFiles)}|{HasPassword}|{string.Join(',', KnownHostsFiles)}";

    /// <summary>Resolves what the user gave against ssh_config, the way <c>ssh</c> would.</summary>
    public static SshTarget Resolve(SshConfig config, SshConnectionRequest request)
    {
        var entry = config.Resolve(request.ComputerName, request.UserName, request.Port);
        var explicitKeys = request.KeyFiles.Count > 0;
        var keys = explicitKeys ? request.KeyFiles.Select(ExpandHome).ToList()
            : entry.IdentityFiles.Count > 0 ? entry.IdentityFiles.ToList()
            : SshConfig.DefaultIdentityFiles(Home()).Where(File.Exists).ToList();
        return new SshTarget
        {
            ComputerName = request.ComputerName,
            HostName = entry.HostName,
            Port = entry.Port,
            UserName = entry.User,
            KeyFiles = keys,
            KeyFilesExplicit = explicitKeys,
            KnownHostsName = entry.KnownHostsName,
            TrustHostKey = request.TrustHostKey,
            ConnectTimeout = request.ConnectTimeout ?? TimeSpan.FromSeconds(15),
            KnownHostsFiles = request.KnownHostsFiles,
            Password = request.Password,
            KeyPassphrase = request.KeyPassphrase,
        };
    }

    public override string ToString() => Port == 22 ? $"{UserName}@{HostName}" : $"{UserName}@{HostName}:{Port}";

    private static string Home() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Home(), path.TrimStart('~').TrimStart('/')) : Path.GetFullPath(path);
}

/// <summary>What the user asked for (cmdlet parameters) before ssh_config fills in the rest.</summary>
public sealed record SshConnectionRequest(string ComputerName)
{
    public int? Port { get; init; }
    public string? UserName { get; init; }
    public IReadOnlyList<string> KeyFiles { get; init; } = [];
    public SecureString? KeyPassphrase { get; init; }
    public SecureString? Password { get; init; }
    public string? TrustHostKey { get; init; }
    public TimeSpan? ConnectTimeout { get; init; }
    public IReadOnlyList<string> KnownHostsFiles { get; init; } = [];
}
