using Renci.SshNet.Common;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// Decides SSH.NET's <c>HostKeyReceived</c> through known_hosts: only a Known key is
/// trusted. Keeps what it saw so a refused connection can say why, with the fingerprint
/// and what to do about it.
/// </summary>
public sealed class HostKeyVerifier
{
    private readonly KnownHosts _knownHosts;
    private readonly string _host;
    private readonly int _port;

    public HostKeyVerifier(KnownHosts knownHosts, string host, int port)
    {
        ArgumentNullException.ThrowIfNull(knownHosts);
        ArgumentException.ThrowIfNullOrEmpty(host);
        _knownHosts = knownHosts;
        _host = host;
        _port = port;
    }

    /// <summary>The verdict on the last key received; null before a key exchange.</summary>
    public KnownHostsMatch? Result { get; private set; }

    /// <summary>Type of the last key received, as the blob declares it (e.g. <c>ssh-ed25519</c>).</summary>
    public string? PresentedKeyType { get; private set; }

    /// <summary><c>SHA256:...</c> of the last key received.</summary>
    public string? PresentedFingerprint { get; private set; }

    /// <summary>Subscribe this to <c>SshClient.HostKeyReceived</c>.</summary>
    public void OnHostKeyReceived(object? sender, HostKeyEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var blob = e.HostKey;
        PresentedKeyType = SshPublicKey.TryReadKeyType(blob, out var type) ? type : SshPublicKey.NormalizeKeyType(e.HostKeyName);
        PresentedFingerprint = Fingerprint.Sha256(blob);
        Result = _knownHosts.Lookup(_host, _port, e.HostKeyName, blob);
        e.CanTrust = Result.Status == HostKeyCheck.Known;
    }

    /// <summary>Why the last key was refused, for an error message; null when it was trusted or none was seen.</summary>
    public string? DescribeRefusal()
    {
        if (Result is null || Result.Status == HostKeyCheck.Known)
        {
            return null;
        }

        var name = Result.HostString;
        var key = $"{SshPublicKey.DisplayName(PresentedKeyType ?? "?")} key {PresentedFingerprint}";
        var where = Result.Entry is { } entry ? $"{entry.Source}:{entry.LineNumber}" : null;
        return Result.Status switch
        {
            HostKeyCheck.Unknown when Result.OtherTypeEntries.Count > 0 =>
                $"The SSH host key of {name} is not in known_hosts ({key}), but keys of other types are on file for it " +
                $"({string.Join(", ", Result.OtherTypeEntries.Select(e => $"{SshPublicKey.DisplayName(e.Key.KeyType)} at {e.Source}:{e.LineNumber}"))}). " +
                "OpenSSH would report this as a changed host key. Check the fingerprint with the server's administrator before trusting it.",
            HostKeyCheck.Unknown =>
                $"The SSH host key of {name} is not in known_hosts ({key}). " +
                "Check this fingerprint with the server's administrator, then add the key to ~/.ssh/known_hosts " +
                "(for example by connecting once with ssh and answering yes).",
            HostKeyCheck.Changed =>
                $"The SSH host key of {name} has CHANGED: the server now presents {key}, but {where} holds a different key. " +
                "Someone could be intercepting the connection, or the server was reinstalled. " +
                $"If the change is expected, remove the old key with: {RemoveCommand(name, Result.Entry)}",
            HostKeyCheck.Revoked =>
                $"The SSH host key of {name} ({key}) is marked @revoked in {where}; refusing to connect.",
            _ => null,
        };
    }

    private static string RemoveCommand(string hostString, KnownHostsEntry? entry) =>
        entry is not null && Path.IsPathRooted(entry.Source)
            ? ShellQuote.Join("ssh-keygen", "-R", hostString, "-f", entry.Source)
            : ShellQuote.Join("ssh-keygen", "-R", hostString);
}
