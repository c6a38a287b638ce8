using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// Reads OpenSSH client configuration (~/.ssh/config, then /etc/ssh/ssh_config) to resolve
/// a <c>Host</c> alias into host name, user, port and identity files, with OpenSSH's rules:
/// the first value obtained wins (IdentityFile accumulates), <c>Host</c> patterns with
/// <c>*</c>, <c>?</c> and <c>!</c> are matched case-sensitively against the alias,
/// <c>Include</c> is relative to ~/.ssh (or /etc/ssh) with globs, and <c>Match</c> blocks
/// are evaluated for <c>all</c>, <c>host</c>, <c>originalhost</c>, <c>user</c>,
/// <c>localuser</c>, <c>canonical</c> and <c>final</c> (with ssh's final pass). A block
/// with <c>Match exec</c> or an unknown criterion is skipped: this tool never runs commands
/// from ssh_config. Keywords this tool has no use for are ignored.
/// </summary>
public sealed class SshConfig
{
    private const int MaxIncludeDepth = 16;

    private readonly string? _userConfigPath;
    private readonly string? _systemConfigPath;
    private readonly string _home;
    private readonly string _localUser;

    /// <param name="userConfigPath">Usually ~/.ssh/config; null or a missing file means none.</param>
    /// <param name="systemConfigPath">Usually /etc/ssh/ssh_config, read after the user's; null for none.</param>
    /// <param name="homeDirectory">What <c>~</c> and <c>%d</c> mean; defaults to the current user's home.</param>
    /// <param name="localUserName">What <c>%u</c> means and the default login user; defaults to the current user.</param>
    public SshConfig(string? userConfigPath, string? systemConfigPath = null, string? homeDirectory = null, string? localUserName = null)
    {
        _userConfigPath = userConfigPath;
        _systemConfigPath = systemConfigPath;
        _home = homeDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        _localUser = localUserName ?? Environment.UserName;
    }

    /// <summary>The current user's ~/.ssh/config and, on Unix, /etc/ssh/ssh_config.</summary>
    public static SshConfig ForCurrentUser()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new SshConfig(
            Path.Combine(home, ".ssh", "config"),
            OperatingSystem.IsWindows() ? null : "/etc/ssh/ssh_config",
            home,
            Environment.UserName);
    }

    /// <summary>The keys ssh tries when no IdentityFile is configured, in its order.</summary>
    public static IReadOnlyList<string> DefaultIdentityFiles(string homeDirectory) =>
        new[] { "id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa" }
            .Select(name => Path.Combine(homeDirectory, ".ssh", name))
            .ToArray();

    /// <summary>
    /// Resolves <paramref name="alias"/>. A <paramref name="user"/> or <paramref name="port"/>
    /// given here acts like ssh's <c>-l</c>/<c>-p</c>: it wins over the files, and <c>%r</c>,
    /// <c>%p</c> and <c>Match user</c> see it.
    /// </summary>
    /// <exception cref="WpBackupException">A config file is malformed (ErrorId <c>SshConfigInvalid</c>).</exception>
    public SshConfigEntry Resolve(string alias, string? user = null, int? port = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A port is between 1 and 65535.");
        }

        var options = new Options { User = user, Port = port };
        var pass = new Pass(this, options, alias, alias, FinalPass: false);
        pass.ReadAll();

        var hostName = options.HostName is null ? alias : ExpandHostName(options.HostName, alias, "HostName");
        if (!IPAddress.TryParse(hostName, out _))
        {
            hostName = hostName.ToLowerInvariant();
        }

        if (options.WantFinalPass)
        {
            // Like ssh: read everything again with HostName settled; Host lines now match it,
            // "Match final/canonical" are true, and only options still unset are taken.
            options.HostName = hostName;
            new Pass(this, options, hostName, alias, FinalPass: true).ReadAll();
        }

        var effectiveUser = options.User ?? _localUser;
        var effectivePort = options.Port ?? 22;
        var identityFiles = options.IdentityFiles
            .Select(f => ExpandIdentityFile(f, alias, hostName, effectiveUser, effectivePort, options.HostKeyAlias))
            .ToArray();

        return new SshConfigEntry(
            alias,
            hostName,
            effectiveUser,
            effectivePort,
            identityFiles,
            options.HostKeyAlias,
            UserFromConfig: user is null && options.User is not null,
            PortFromConfig: port is null && options.Port is not null);
    }

    private static string ExpandHostName(string value, string alias, string where)
    {
        try
        {
            return SshPathExpansion.Expand(value, new Dictionary<char, string> { ['h'] = alias }, environment: false);
        }
        catch (FormatException e)
        {
            throw Invalid($"{where}: {e.Message}");
        }
    }

    private string ExpandIdentityFile(string value, string alias, string hostName, string user, int port, string? hostKeyAlias)
    {
        var localHost = Dns.GetHostName();
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var tokens = new Dictionary<char, string>
        {
            ['C'] = ConnectionHash(localHost, hostName, portText, user),
            ['d'] = _home,
            ['h'] = hostName,
            ['i'] = OperatingSystem.IsWindows() ? "0" : GetUid().ToString(CultureInfo.InvariantCulture),
            ['j'] = string.Empty,
            ['k'] = hostKeyAlias ?? alias,
            ['L'] = localHost.Split('.')[0],
            ['l'] = localHost,
            ['n'] = alias,
            ['p'] = portText,
            ['r'] = user,
            ['u'] = _localUser,
        };
        try
        {
            return SshPathExpansion.Expand(SshPathExpansion.ExpandTilde(value, _home), tokens, environment: true);
        }
        catch (FormatException e)
        {
            throw Invalid($"IdentityFile: {e.Message}");
        }
    }

    // %C: SHA-1 of %l%h%p%r (OpenSSH 9.2 appends nothing for an absent ProxyJump).
    private static string ConnectionHash(string localHost, string host, string port, string user) =>
        Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(localHost + host + port + user))).ToLowerInvariant();

    private static uint GetUid()
    {
        try
        {
            var status = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            if (status is not null && uint.TryParse(status.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], out var uid))
            {
                return uid;
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private static WpBackupException Invalid(string message) =>
        new(FailureKind.ConfigParse, "SshConfigInvalid", "Invalid SSH client configuration: " + message);

    private sealed class Options
    {
        public string? HostName { get; set; }
        public string? User { get; set; }
        public int? Port { get; set; }
        public string? HostKeyAlias { get; set; }
        public List<string> IdentityFiles { get; } = [];
        public bool WantFinalPass { get; set; }
    }

    /// <summary>One reading of all config files for one destination.</summary>
    private sealed record Pass(SshConfig Config, Options Options, string Host, string OriginalHost, bool FinalPass)
    {
        public void ReadAll()
        {
            if (Config._userConfigPath is { } userPath)
            {
                var active = true;
                ReadFile(userPath, userConfig: true, neverMatch: false, ref active, depth: 0);
            }

            if (Config._systemConfigPath is { } systemPath)
            {
                var active = true;
                ReadFile(systemPath, userConfig: false, neverMatch: false, ref active, depth: 0);
            }
        }

        private void ReadFile(string path, bool userConfig, bool neverMatch, ref bool active, int depth)
        {
            if (depth > MaxIncludeDepth)
            {
                throw Invalid($"{path}: too many recursive Include directives");
            }

            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Invalid($"cannot read {path}: {e.Message}");
            }

            for (var i = 0; i < lines.Length; i++)
            {
                SshConfigLine? line;
                try
                {
                    line = SshConfigLine.Parse(lines[i]);
                    if (line is not null)
                    {
                        Apply(line, path, userConfig, neverMatch, ref active, depth);
                    }
                }
                catch (FormatException e)
                {
                    throw Invalid($"{path} line {i + 1}: {e.Message}");
                }
            }
        }

        private void Apply(SshConfigLine line, string path, bool userConfig, bool neverMatch, ref bool active, int depth)
        {
            var args = line.Arguments;
            switch (line.Keyword)
            {
                case "host":
                    active = !neverMatch && HostLineMatches(args);
                    break;

                case "match":
                    var matches = MatchLineMatches(args);
                    active = !neverMatch && matches;
                    break;

                case "include":
                    Include(args, userConfig, neverMatch, ref active, depth);
                    break;

                case "hostname":
                    var hostName = Single(line);
                    if (active)
                    {
                        Options.HostName ??= hostName;
                    }

                    break;

                case "user":
                    var user = Single(line);
                    if (active)
                    {
                        Options.User ??= user;
                    }

                    break;

                case "port":
                    var port = ParsePort(Single(line));
                    if (active)
                    {
                        Options.Port ??= port;
                    }

                    break;

                case "hostkeyalias":
                    var hostKeyAlias = Single(line);
                    if (active)
                    {
                        Options.HostKeyAlias ??= hostKeyAlias.ToLowerInvariant();
                    }

                    break;

                case "identityfile":
                    var identityFile = Single(line);
                    if (active && !Options.IdentityFiles.Contains(identityFile, StringComparer.Ordinal))
                    {
                        Options.IdentityFiles.Add(identityFile);
                    }

                    break;
            }
        }

        private bool HostLineMatches(IReadOnlyList<string> patterns)
        {
            var result = false;
            foreach (var raw in patterns)
            {
                if (raw.Length == 0)
                {
                    throw new FormatException("Host has an empty argument");
                }

                var negated = raw[0] == '!';
                if (HostPatterns.Match(Host, negated ? raw[1..] : raw))
                {
                    if (negated)
                    {
                        return false;
                    }

                    result = true;
                }
            }

            return result;
        }

        private bool MatchLineMatches(IReadOnlyList<string> args)
        {
            var result = true;
            var attributes = 0;
            for (var i = 0; i < args.Count; i++)
            {
                var attribute = args[i];
                var negate = attribute.StartsWith('!');
                if (negate)
                {
                    attribute = attribute[1..];
                }

                attribute = attribute.ToLowerInvariant();
                if (attribute == "all")
                {
                    // As OpenSSH: "all" stands alone, though one criterion before it is tolerated.
                    if (attributes > 1 || i + 1 < args.Count)
                    {
                        throw new FormatException("'all' cannot be combined with other Match attributes");
                    }

                    return result && !negate;
                }

                attributes++;
                if (attribute is "canonical" or "final")
                {
                    if (attribute == "final")
                    {
                        Options.WantFinalPass = true;
                    }

                    if (FinalPass == negate)
                    {
                        result = false;
                    }

                    continue;
                }

                if (i + 1 >= args.Count)
                {
                    throw new FormatException($"missing Match criteria for {attribute}");
                }

                var criteria = args[++i];
                bool matched;
                switch (attribute)
                {
                    case "host":
                        matched = HostPatterns.MatchHostName(MatchHost(), criteria);
                        break;
                    case "originalhost":
                        matched = HostPatterns.MatchHostName(OriginalHost, criteria);
                        break;
                    case "user":
                        matched = HostPatterns.MatchList(Options.User ?? Config._localUser, criteria, false) == HostPatterns.ListMatch.Match;
                        break;
                    case "localuser":
                        matched = HostPatterns.MatchList(Config._localUser, criteria, false) == HostPatterns.ListMatch.Match;
                        break;
                    default:
                        // exec (never run here) and criteria this reader does not know: skip the block.
                        return false;
                }

                if (matched == negate)
                {
                    result = false;
                }
            }

            if (attributes == 0)
            {
                throw new FormatException("one or more attributes required for Match");
            }

            return result;
        }

        // As readconf's match_cfg_line: the final pass sees the settled HostName, the first
        // pass the HostName obtained so far (with %h expanded) or the alias.
        private string MatchHost() =>
            FinalPass ? Options.HostName! :
            Options.HostName is { } h ? ExpandHostName(h, Host, "HostName") : Host;

        private void Include(IReadOnlyList<string> args, bool userConfig, bool neverMatch, ref bool active, int depth)
        {
            foreach (var arg in args)
            {
                if (arg.Length == 0)
                {
                    throw new FormatException("Include has an empty argument");
                }

                if (arg[0] == '~' && !userConfig)
                {
                    throw new FormatException($"bad include path {arg}");
                }

                string pattern;
                if (arg[0] == '~')
                {
                    pattern = SshPathExpansion.ExpandTilde(arg, Config._home);
                }
                else if (Path.IsPathRooted(arg))
                {
                    pattern = arg;
                }
                else
                {
                    pattern = userConfig ? Path.Combine(Config._home, ".ssh", arg) : Path.Combine("/etc/ssh", arg);
                }

                var outerActive = active;
                foreach (var file in SshConfigGlob.Expand(pattern))
                {
                    if (Directory.Exists(file))
                    {
                        throw new FormatException($"Include {file} is a directory");
                    }

                    ReadFile(file, userConfig, neverMatch || !outerActive, ref active, depth + 1);

                    // A Host or Match inside the included file does not change the includer's state.
                    active = outerActive;
                }
            }
        }

        private static string Single(SshConfigLine line)
        {
            if (line.Arguments.Count != 1)
            {
                throw new FormatException($"{line.Keyword} takes exactly one argument");
            }

            if (line.Arguments[0].Length == 0)
            {
                throw new FormatException($"{line.Keyword} has an empty argument");
            }

            return line.Arguments[0];
        }

        private static int ParsePort(string value) =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
                ? port
                : throw new FormatException($"bad port number '{value}'");
    }
}
