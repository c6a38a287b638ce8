using Renci.SshNet;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// The ciphers and MACs a client offers, in order: the server takes the first of ours it also
/// allows. SSH.NET's own order starts with aes128-ctr + hmac-sha2-256 (MAC-then-encrypt) and
/// still offers CBC ciphers and 3DES. This one offers the set OpenSSH's client offers by default
/// and nothing it dropped, cheapest in SSH.NET first (bench/ssh-throughput.sh,
/// docs/benchmarks-remote-incremental.md): AES-GCM needs the least CPU per byte; SSH.NET's
/// ChaCha20-Poly1305 moves half of what AES-CTR does, so it comes last, where OpenSSH puts it first.
/// Encrypt-then-MAC MACs come before the plain ones.
/// </summary>
public static class SshAlgorithmPreference
{
    public static readonly IReadOnlyList<string> Ciphers =
    [
        "aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
        "aes128-ctr", "aes192-ctr", "aes256-ctr",
        "chacha20-poly1305@openssh.com",
    ];

    public static readonly IReadOnlyList<string> Macs =
    [
        "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha1-etm@openssh.com",
        "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1",
    ];

    /// <summary>Reorders and restricts <paramref name="connectionInfo"/>'s ciphers and MACs to <see cref="Ciphers"/> and <see cref="Macs"/>.</summary>
    public static void Apply(ConnectionInfo connectionInfo)
    {
        ArgumentNullException.ThrowIfNull(connectionInfo);
        Reorder(connectionInfo.Encryptions, Ciphers);
        Reorder(connectionInfo.HmacAlgorithms, Macs);
    }

    /// <summary>Keeps the entries named in <paramref name="order"/> that SSH.NET implements, in that order.</summary>
    internal static void Reorder<T>(IDictionary<string, T> algorithms, IReadOnlyList<string> order)
    {
        var implemented = new Dictionary<string, T>(algorithms, StringComparer.Ordinal);
        algorithms.Clear();
        foreach (var name in order.Where(implemented.ContainsKey))
            algorithms.Add(name, implemented[name]);
    }
}
