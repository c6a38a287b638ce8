using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Tests.Ssh;

[CollectionDefinition("sshd")]
public sealed class SshdCollection : ICollectionFixture<SshdFixture>
{
}

/// <summary>
/// A real OpenSSH server on 127.0.0.1 for the tests: its own host keys (ed25519, RSA), config, port and
/// log in a private 0700 directory under /var/tmp, a test user that accepts the fixture's
/// client keys (ed25519, RSA in PEM form, ECDSA, passphrase-protected ed25519) and a password.
/// Needs root (creates the user, runs sshd) and openssh-server installed.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SshdFixture : IDisposable
{
    public const string TestUserName = "wpbssh";
    public const string TestPassword = "Wpb-ssh test pass 7!";
    public const string TestKeyPassphrase = "correct horse battery staple";

    /// <summary>A second login whose PATH lacks tar and the MySQL client tools, for "tool missing" tests.</summary>
    public const string ToolLessUserName = "wpbnotools";

    /// <summary>The only programs on the tool-less login's PATH: enough for sh scripts and find, not for tar or database dumps.</summary>
    private static readonly string[] ToolLessPrograms = ["sh", "find", "grep", "head", "cat", "mktemp", "rm", "xargs", "sha256sum", "ls", "mv", "mkdir", "chmod", "touch", "rmdir"];
    private const string ToolLessBin = "/usr/local/lib/wpbackup-test-notools";

    private const string SshdPath = "/usr/sbin/sshd";
    private static readonly TimeSpan ReadinessDeadline = TimeSpan.FromSeconds(20);

    private readonly string? _authorizedKeysPath;
    private Process? _sshd;

    public SshdFixture()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            throw new InvalidOperationException("The sshd fixture needs Linux and root (it creates a test user and runs sshd).");
        }

        if (!File.Exists(SshdPath))
        {
            throw new InvalidOperationException($"{SshdPath} is missing: apt-get install openssh-server");
        }

        var id = Guid.NewGuid().ToString("N")[..12];
        Directory = System.IO.Directory.CreateDirectory(
            Path.Combine("/var/tmp", "wpbackup-sshd-" + id),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        try
        {
            HostKeyPath = Path.Combine(Directory, "ssh_host_ed25519_key");
            KeyGen("-t", "ed25519", "-N", "", "-C", "wpbackup-test-host", "-f", HostKeyPath);
            HostKey = SshPublicKey.Parse(File.ReadAllText(HostKeyPath + ".pub"));
            RsaHostKeyPath = Path.Combine(Directory, "ssh_host_rsa_key");
            KeyGen("-t", "rsa", "-b", "2048", "-N", "", "-C", "wpbackup-test-host-rsa", "-f", RsaHostKeyPath);
            RsaHostKey = SshPublicKey.Parse(File.ReadAllText(RsaHostKeyPath + ".pub"));

            Ed25519KeyPath = Path.Combine(Directory, "id_ed25519");
            KeyGen("-t", "ed25519", "-N", "", "-C", "wpbackup-test-ed25519", "-f", Ed25519KeyPath);
            RsaPemKeyPath = Path.Combine(Directory, "id_rsa_pem");
            KeyGen("-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-C", "wpbackup-test-rsa", "-f", RsaPemKeyPath);
            EcdsaKeyPath = Path.Combine(Directory, "id_ecdsa");
            KeyGen("-t", "ecdsa", "-b", "256", "-N", "", "-C", "wpbackup-test-ecdsa", "-f", EcdsaKeyPath);
            Ed25519PassphraseKeyPath = Path.Combine(Directory, "id_ed25519_pass");
            KeyGen("-t", "ed25519", "-N", TestKeyPassphrase, "-C", "wpbackup-test-passphrase", "-f", Ed25519PassphraseKeyPath);

            UserHome = EnsureUser(TestUserName, TestPassword);
            ToolLessHome = EnsureUser(ToolLessUserName, TestPassword);
            InstallToolLessPath();
            _authorizedKeysPath = Path.Combine(UserHome, ".ssh", "authorized_keys." + id);
            InstallAuthorizedKeys(id);

            System.IO.Directory.CreateDirectory("/run/sshd");
            Start(id);
            KnownHostsLine = Scan();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    public string UserName => TestUserName;

    public string Password => TestPassword;

    public string KeyPassphrase => TestKeyPassphrase;

    /// <summary>The fixture's private 0700 directory (keys, config, log).</summary>
    public string Directory { get; }

    public string UserHome { get; } = string.Empty;

    /// <summary>Home of <see cref="ToolLessUserName"/>.</summary>
    public string ToolLessHome { get; } = string.Empty;

    public string HostKeyPath { get; } = string.Empty;

    /// <summary>The server's ed25519 host key (type, blob, fingerprint).</summary>
    public SshPublicKey HostKey { get; } = null!;

    public string RsaHostKeyPath { get; } = string.Empty;

    /// <summary>The server's second host key, RSA, which it presents only when a client prefers RSA.</summary>
    public SshPublicKey RsaHostKey { get; } = null!;

    /// <summary><c>ssh-keyscan -p PORT -t ed25519 127.0.0.1</c> output: <c>[127.0.0.1]:PORT ssh-ed25519 AAAA...</c>.</summary>
    public string KnownHostsLine { get; } = string.Empty;

    public string Ed25519KeyPath { get; } = string.Empty;

    public string RsaPemKeyPath { get; } = string.Empty;

    public string EcdsaKeyPath { get; } = string.Empty;

    public string Ed25519PassphraseKeyPath { get; } = string.Empty;

    public string ConfigPath => Path.Combine(Directory, "sshd_config");

    public string LogPath => Path.Combine(Directory, "sshd.log");

    /// <summary>A new known_hosts file that trusts this server's ed25519 host key.</summary>
    public string NewKnownHostsFile()
    {
        var path = Path.Combine(NewScratchDirectory("known"), "known_hosts");
        File.WriteAllText(path, KnownHostsLine + "\n");
        return path;
    }

    /// <summary>PowerShell connection parameters for <paramref name="userName"/> (the test user by default) with the plain ed25519 key.</summary>
    public string Connection(string knownHostsFile, string? userName = null) =>
        $"-ComputerName 127.0.0.1 -Port {Port} -UserName {userName ?? UserName} -KeyFile '{Ed25519KeyPath}' -KnownHostsFile '{knownHostsFile}'";

    /// <summary>A fresh empty 0700 directory inside the fixture's directory.</summary>
    public string NewScratchDirectory(string name)
    {
        var path = Path.Combine(Directory, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>
    /// Drops every connection to this server, like a network failure: SIGKILL to each process the listening
    /// sshd forked (session processes and the commands they run), by id. The listener keeps running.
    /// </summary>
    public void KillSessions()
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var stat in System.IO.Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)).Select(d => Path.Combine(d, "stat")))
        {
            string text;
            try { text = File.ReadAllText(stat); }
            catch (IOException) { continue; } // the process ended meanwhile
            catch (UnauthorizedAccessException) { continue; }
            // pid (comm) state ppid ...: comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var pid = int.Parse(text[..text.IndexOf(' ')], System.Globalization.CultureInfo.InvariantCulture);
            var parent = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            if (!children.TryGetValue(parent, out var list))
                children[parent] = list = [];
            list.Add(pid);
        }
        var descendants = new List<int>();
        var pending = new Queue<int>([_sshd!.Id]);
        while (pending.TryDequeue(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                descendants.Add(child);
                pending.Enqueue(child);
            }
        }
        if (descendants.Count > 0)
            ExternalTool.Run("kill", ["-KILL", .. descendants.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
    }

    public void Dispose()
    {
        if (_sshd is { } sshd)
        {
            try
            {
                if (!sshd.HasExited)
                {
                    sshd.Kill(entireProcessTree: true);
                }

                sshd.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }

            sshd.Dispose();
            _sshd = null;
        }

        if (_authorizedKeysPath is not null)
        {
            foreach (var path in new[] { _authorizedKeysPath, Path.Combine(ToolLessHome, ".ssh", Path.GetFileName(_authorizedKeysPath)) })
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static void KeyGen(params string[] args) => ExternalTool.Check("ssh-keygen", ["-q", .. args]);

    private static string EnsureUser(string userName, string password)
    {
        if (ExternalTool.Run("id", "-u", userName).ExitCode != 0)
        {
            var add = ExternalTool.Run("useradd", "-m", "-s", "/bin/bash", userName);
            // Another test process may have created it meanwhile (exit 9: already exists).
            if (add.ExitCode is not 0 and not 9)
            {
                throw new InvalidOperationException($"useradd failed: {add.StandardError}");
            }
        }

        // useradd leaves the password locked ('!'), which makes sshd refuse even key logins.
        ExternalTool.Check("usermod", "-p", "*", userName);
        var chpasswd = ExternalTool.Run("chpasswd", [], standardInput: $"{userName}:{password}\n");
        if (chpasswd.ExitCode != 0)
        {
            throw new InvalidOperationException($"chpasswd failed: {chpasswd.StandardError}");
        }

        var passwd = ExternalTool.Check("getent", "passwd", userName).Trim().Split(':');
        return passwd[5];
    }

    /// <summary>The tool-less login gets a PATH (through ~/.ssh/environment) holding only <see cref="ToolLessPrograms"/>.</summary>
    private void InstallToolLessPath()
    {
        System.IO.Directory.CreateDirectory(ToolLessBin);
        foreach (var program in ToolLessPrograms)
        {
            var link = Path.Combine(ToolLessBin, program);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, ExternalTool.Check("sh", "-c", $"command -v {program}").Trim());
            }
        }

        var sshDir = Path.Combine(ToolLessHome, ".ssh");
        ExternalTool.Check("install", "-d", "-m", "700", "-o", ToolLessUserName, "-g", ToolLessUserName, sshDir);
        var environment = Path.Combine(Directory, "environment");
        File.WriteAllText(environment, $"PATH={ToolLessBin}\n");
        ExternalTool.Check("install", "-m", "600", "-o", ToolLessUserName, "-g", ToolLessUserName, environment, Path.Combine(sshDir, "environment"));
    }

    private void InstallAuthorizedKeys(string id)
    {
        var sshDir = Path.Combine(UserHome, ".ssh");
        ExternalTool.Check("install", "-d", "-m", "700", "-o", TestUserName, "-g", TestUserName, sshDir);
        var keys = new StringBuilder();
        foreach (var key in new[] { Ed25519KeyPath, RsaPemKeyPath, EcdsaKeyPath, Ed25519PassphraseKeyPath })
        {
            keys.Append(File.ReadAllText(key + ".pub").Trim()).Append('\n');
        }

        var staged = Path.Combine(Directory, "authorized_keys");
        File.WriteAllText(staged, keys.ToString());
        ExternalTool.Check("install", "-m", "600", "-o", TestUserName, "-g", TestUserName, staged, _authorizedKeysPath!);
        ExternalTool.Check("install", "-m", "600", "-o", ToolLessUserName, "-g", ToolLessUserName, staged,
            Path.Combine(ToolLessHome, ".ssh", Path.GetFileName(_authorizedKeysPath!)));
    }

    private void Start(string id)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Port = FreePort();
            File.WriteAllText(ConfigPath, $"""
                Port {Port}
                ListenAddress 127.0.0.1
                HostKey {HostKeyPath}
                HostKey {RsaHostKeyPath}
                PidFile {Path.Combine(Directory, "sshd.pid")}
                UsePAM no
                StrictModes yes
                UseDNS no
                PermitRootLogin no
                AllowUsers {TestUserName} {ToolLessUserName}
                PermitUserEnvironment PATH
                AuthorizedKeysFile .ssh/authorized_keys.{id}
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                LogLevel VERBOSE
                Subsystem sftp internal-sftp
                Match User {TestUserName}
                    PasswordAuthentication yes

                """);

            if (File.Exists(LogPath))
            {
                File.Delete(LogPath);
            }

            var start = new ProcessStartInfo(SshdPath) { UseShellExecute = false };
            foreach (var arg in new[] { "-D", "-f", ConfigPath, "-E", LogPath })
            {
                start.ArgumentList.Add(arg);
            }

            _sshd = Process.Start(start) ?? throw new InvalidOperationException("could not start sshd");
            try
            {
                WaitUntilReady();
                return;
            }
            catch (Exception e)
            {
                last = e;
                if (!_sshd.HasExited)
                {
                    _sshd.Kill(entireProcessTree: true);
                }

                _sshd.WaitForExit();
                _sshd.Dispose();
                _sshd = null;
            }
        }

        throw new InvalidOperationException("sshd did not start", last);
    }

    // Readiness: a TCP connect that yields the SSH banner, polled until a deadline.
    private void WaitUntilReady()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_sshd!.HasExited)
            {
                throw new InvalidOperationException($"sshd exited with {_sshd.ExitCode}: {ReadLog()}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                client.ReceiveTimeout = 5000;
                var buffer = new byte[64];
                var read = client.GetStream().Read(buffer, 0, buffer.Length);
                if (read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("SSH-2.0-", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }
            catch (IOException)
            {
            }

            if (deadline.Elapsed > ReadinessDeadline)
            {
                throw new TimeoutException($"sshd not ready on port {Port} after {ReadinessDeadline}: {ReadLog()}");
            }

            _sshd.WaitForExit(50); // returns early if sshd dies; paces the poll otherwise
        }
    }

    private string Scan()
    {
        var lines = ExternalTool.Check("ssh-keyscan", "-p", Port.ToString(), "-t", "ed25519", Host)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#'))
            .ToArray();
        return lines.Length == 1
            ? lines[0]
            : throw new InvalidOperationException($"ssh-keyscan returned {lines.Length} key lines");
    }

    private string ReadLog() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log)";

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
