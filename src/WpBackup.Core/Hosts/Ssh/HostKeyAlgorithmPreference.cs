using Renci.SshNet;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// Orders the host key algorithms a client offers so the server presents a key known_hosts
/// can vouch for, as OpenSSH does: algorithms for key types on file for the host come first.
/// SSH.NET offers host certificates first by default; certificates are dropped because
/// <c>@cert-authority</c> is not used for trust here, so a server with a host certificate
/// would otherwise always look unknown.
/// </summary>
public static class HostKeyAlgorithmPreference
{
    private const string CertificateSuffix = "-cert-v01@openssh.com";

    /// <summary>The offer order: known key types first (keeping the client's order within each group), no certificates.</summary>
    public static IReadOnlyList<string> Order(IEnumerable<string> algorithms, IReadOnlyCollection<string> knownKeyTypes)
    {
        var plain = algorithms.Where(a => !a.EndsWith(CertificateSuffix, StringComparison.Ordinal)).ToList();
        return plain.Where(a => knownKeyTypes.Contains(SshPublicKey.NormalizeKeyType(a)))
            .Concat(plain.Where(a => !knownKeyTypes.Contains(SshPublicKey.NormalizeKeyType(a))))
            .ToArray();
    }

    /// <summary>Reorders <paramref name="connectionInfo"/>'s host key algorithms for the key types known for the host.</summary>
    public static void Apply(ConnectionInfo connectionInfo, IReadOnlyCollection<string> knownKeyTypes)
    {
        ArgumentNullException.ThrowIfNull(connectionInfo);
        var algorithms = connectionInfo.HostKeyAlgorithms;
        var factories = algorithms.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var order = Order(factories.Keys.ToList(), knownKeyTypes);
        algorithms.Clear();
        foreach (var name in order)
        {
            algorithms.Add(name, factories[name]);
        }
    }
}
