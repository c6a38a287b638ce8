using System.Text;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>What <see cref="KnownHosts.Lookup"/> found, with the line that decided it.</summary>
/// <param name="Status">The verdict.</param>
/// <param name="HostString">The name looked up: <c>host</c>, or <c>[host]:port</c> when the port is not 22.</param>
/// <param name="Entry">The matching line for Known and Revoked, the conflicting line for Changed; null for Unknown.</param>
/// <param name="OtherTypeEntries">
/// Lines for this host holding keys of other types. OpenSSH calls a key "changed" when only
/// such lines exist; here that is Unknown, and these lines let a message say so.
/// </param>
public sealed record KnownHostsMatch(HostKeyCheck Status, string HostString, KnownHostsEntry? Entry, IReadOnlyList<KnownHostsEntry> OtherTypeEntries);

/// <summary>
/// OpenSSH known_hosts files: plain and hashed host names, patterns with <c>*</c>, <c>?</c>
/// and <c>!</c>, <c>[host]:port</c> names, <c>@revoked</c> (refused) and
/// <c>@cert-authority</c> (read, not used: host certificates are not trusted through it).
/// </summary>
public sealed class KnownHosts
{
    private readonly List<KnownHostsEntry> _entries;

    private KnownHosts(List<KnownHostsEntry> entries) => _entries = entries;

    public IReadOnlyList<KnownHostsEntry> Entries => _entries;

    /// <summary>OpenSSH's defaults: the user's files first, then the system ones.</summary>
    public static IReadOnlyList<string> DefaultPaths(string homeDirectory) =>
    [
        Path.Combine(homeDirectory, ".ssh", "known_hosts"),
        Path.Combine(homeDirectory, ".ssh", "known_hosts2"),
        "/etc/ssh/ssh_known_hosts",
        "/etc/ssh/ssh_known_hosts2",
    ];

    /// <summary>The file new keys go to by default: <c>~/.ssh/known_hosts</c>.</summary>
    public static string DefaultUserPath(string homeDirectory) => Path.Combine(homeDirectory, ".ssh", "known_hosts");

    /// <summary>Loads the current user's and the system's known_hosts files.</summary>
    public static KnownHosts LoadDefault() =>
        Load(DefaultPaths(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)));

    /// <summary>Reads the files in order; a file that does not exist is skipped.</summary>
    public static KnownHosts Load(IEnumerable<string> paths)
    {
        var entries = new List<KnownHostsEntry>();
        foreach (var path in paths)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }

            AddLines(entries, lines, path);
        }

        return new KnownHosts(entries);
    }

    public static KnownHosts Load(params string[] paths) => Load((IEnumerable<string>)paths);

    /// <summary>Parses known_hosts text held in memory; <paramref name="sourceName"/> names it in results.</summary>
    public static KnownHosts Parse(string text, string sourceName = "(known_hosts)")
    {
        var entries = new List<KnownHostsEntry>();
        AddLines(entries, text.Split('\n'), sourceName);
        return new KnownHosts(entries);
    }

    /// <summary>The name OpenSSH looks up for a host and port: <c>host</c> for 22, else <c>[host]:port</c>; lowercase.</summary>
    public static string HostString(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var h = host.ToLowerInvariant();
        return port == 22 ? h : $"[{h}]:{port}";
    }

    /// <summary>
    /// Checks the key a server presented. <paramref name="keyType"/> may be the negotiated
    /// algorithm (e.g. <c>rsa-sha2-512</c>); the blob's own type decides what is compared.
    /// </summary>
    public HostKeyCheck Check(string host, int port, string keyType, byte[] keyBlob) =>
        Lookup(host, port, keyType, keyBlob).Status;

    /// <summary>Like <see cref="Check"/>, also telling which line decided it.</summary>
    public KnownHostsMatch Lookup(string host, int port, string keyType, byte[] keyBlob)
    {
        ArgumentNullException.ThrowIfNull(keyBlob);
        var hostString = HostString(host, port);
        var type = SshPublicKey.TryReadKeyType(keyBlob, out var blobType) ? blobType : SshPublicKey.NormalizeKeyType(keyType);

        var matching = _entries.Where(e => e.MatchesHost(hostString)).ToList();

        var otherTypes = matching.Where(e => e.Marker == KnownHostsMarker.None && e.Key.KeyType != type).ToArray();
        var revoked = matching.FirstOrDefault(e => e.Marker == KnownHostsMarker.Revoked && e.Key.Blob.AsSpan().SequenceEqual(keyBlob));
        if (revoked is not null)
        {
            return new KnownHostsMatch(HostKeyCheck.Revoked, hostString, revoked, otherTypes);
        }

        KnownHostsEntry? conflicting = null;
        foreach (var entry in matching.Where(e => e.Marker == KnownHostsMarker.None))
        {
            if (entry.Key.Blob.AsSpan().SequenceEqual(keyBlob))
            {
                return new KnownHostsMatch(HostKeyCheck.Known, hostString, entry, otherTypes);
            }

            if (conflicting is null && entry.Key.KeyType == type)
            {
                conflicting = entry;
            }
        }

        return conflicting is null
            ? new KnownHostsMatch(HostKeyCheck.Unknown, hostString, null, otherTypes)
            : new KnownHostsMatch(HostKeyCheck.Changed, hostString, conflicting, otherTypes);
    }

    /// <summary>
    /// Key types on file (plain entries) for the host, in file order without repeats. A client
    /// should offer these host key algorithms first, as OpenSSH does, so a server with several
    /// host keys presents one that can be verified.
    /// </summary>
    public IReadOnlyList<string> KeyTypesFor(string host, int port)
    {
        var hostString = HostString(host, port);
        return _entries
            .Where(e => e.Marker == KnownHostsMarker.None && e.MatchesHost(hostString))
            .Select(e => e.Key.KeyType)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Appends a line for the host's key, as ssh does when it learns a key. Hashed by default,
    /// as Debian's ssh_config sets <c>HashKnownHosts yes</c>. Creates the directory (0700) and
    /// the file (0600) when missing. The key type written is the blob's own (<c>ssh-rsa</c>
    /// even when <paramref name="keyType"/> is <c>rsa-sha2-512</c>).
    /// </summary>
    /// <returns>The line written, without its newline.</returns>
    public static string AppendEntry(string path, string host, int port, string keyType, byte[] keyBlob, bool hashed = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(keyBlob);
        var type = SshPublicKey.TryReadKeyType(keyBlob, out var blobType) ? blobType : SshPublicKey.NormalizeKeyType(keyType);
        var hostString = HostString(host, port);
        var hostField = hashed ? HashedHostName.Create(hostString) : hostString;
        var line = hostField + " " + new SshPublicKey(type, keyBlob).ToOpenSshString();

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var prefix = NeedsLeadingNewline(path) ? "\n" : string.Empty;
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(prefix + line + "\n"));
            stream.Flush(flushToDisk: true);
        }

        return line;
    }

    private static bool NeedsLeadingNewline(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length == 0)
            {
                return false;
            }

            stream.Seek(-1, SeekOrigin.End);
            return stream.ReadByte() != '\n';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private static void AddLines(List<KnownHostsEntry> entries, IEnumerable<string> lines, string source)
    {
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (KnownHostsEntry.TryParse(line, source, number) is { } entry)
            {
                entries.Add(entry);
            }
        }
    }
}
