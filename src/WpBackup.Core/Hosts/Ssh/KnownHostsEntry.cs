namespace WpBackup.Core.Hosts.Ssh;

/// <summary>The marker a known_hosts line may start with.</summary>
public enum KnownHostsMarker
{
    None,
    CertAuthority,
    Revoked,
}

/// <summary>One valid line of a known_hosts file.</summary>
public sealed class KnownHostsEntry
{
    private KnownHostsEntry(KnownHostsMarker marker, string hosts, SshPublicKey key, string source, int lineNumber)
    {
        Marker = marker;
        Hosts = hosts;
        Key = key;
        Source = source;
        LineNumber = lineNumber;
    }

    public KnownHostsMarker Marker { get; }

    /// <summary>The host field as written: a comma-separated pattern list or one <c>|1|salt|hash</c>.</summary>
    public string Hosts { get; }

    public SshPublicKey Key { get; }

    /// <summary>The file (or other name) the entry was read from.</summary>
    public string Source { get; }

    /// <summary>1-based line number in <see cref="Source"/>.</summary>
    public int LineNumber { get; }

    public bool IsHashed => HashedHostName.IsHashed(Hosts);

    /// <summary>
    /// Whether the entry is for <paramref name="hostString"/> (<c>name</c> or <c>[name]:port</c>,
    /// lowercase), as OpenSSH decides it: hashed fields by HMAC, plain fields by pattern list
    /// where a matching negated pattern excludes the host.
    /// </summary>
    public bool MatchesHost(string hostString) =>
        IsHashed ? HashedHostName.Matches(Hosts, hostString) : HostPatterns.MatchHostName(hostString, Hosts);

    /// <summary>
    /// Parses one line. Returns null for blank lines, comments and lines OpenSSH would also
    /// skip as invalid (unknown marker, truncated, bad base64, key type mismatch).
    /// </summary>
    public static KnownHostsEntry? TryParse(string line, string source, int lineNumber)
    {
        var s = line.TrimEnd('\r', '\n').AsSpan().TrimStart(" \t");
        if (s.IsEmpty || s[0] == '#')
        {
            return null;
        }

        var marker = KnownHostsMarker.None;
        if (s[0] == '@')
        {
            var end = s.IndexOfAny(' ', '\t');
            if (end < 0)
            {
                return null;
            }

            marker = s[..end] switch
            {
                "@cert-authority" => KnownHostsMarker.CertAuthority,
                "@revoked" => KnownHostsMarker.Revoked,
                _ => (KnownHostsMarker)(-1),
            };
            if (marker < 0)
            {
                return null;
            }

            s = s[end..].TrimStart(" \t");
            if (!s.IsEmpty && s[0] == '@')
            {
                return null; // only one marker is allowed
            }
        }

        var hostEnd = s.IndexOfAny(' ', '\t');
        if (hostEnd <= 0)
        {
            return null;
        }

        var hosts = s[..hostEnd].ToString();
        var keyPart = s[hostEnd..].TrimStart(" \t");
        if (keyPart.IsEmpty || keyPart[0] == '#')
        {
            return null;
        }

        return SshPublicKey.TryParse(keyPart.ToString(), out var key)
            ? new KnownHostsEntry(marker, hosts, key, source, lineNumber)
            : null;
    }
}
