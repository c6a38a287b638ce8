using System.Management.Automation;
using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Sites;
using WpBackup.Sandbox;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Remote;

/// <summary>Every way connecting to a server or reading from it can go wrong gives a clear error and leaves nothing behind.</summary>
[Collection("remote")]
public sealed class RemoteFailureTests : IDisposable
{
    private readonly SshdFixture _sshd;
    private readonly MariaDbFixture _db;
    private readonly PowerShellSession _ps = new();
    private readonly RemoteSite _remote;

    public RemoteFailureTests(SshdFixture sshd, MariaDbFixture db)
    {
        _sshd = sshd;
        _db = db;
        _remote = new RemoteSite(sshd, db, "fail.example", posts: 10);
        SshSessions.CloseAll();
    }

    private PipelineResult Find(string connection, params (string Name, object? Value)[] extra)
    {
        SshSessions.CloseAll();
        var vars = extra.ToDictionary(v => v.Name, v => v.Value);
        vars["p"] = _remote.WebRoot;
        return _ps.Run($"Find-WpSite -ComputerName 127.0.0.1 -Port {_sshd.Port} -UserName {_sshd.UserName} -Path $p {connection}", vars);
    }

    private static ErrorRecord SingleError(PipelineResult result)
    {
        Assert.Empty(result.Output);
        return Assert.Single(result.Errors);
    }

    private string EmptyKnownHosts()
    {
        var path = Path.Combine(_sshd.NewScratchDirectory("kh"), "known_hosts");
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void An_unknown_host_key_is_refused_with_its_fingerprint_and_can_be_trusted_explicitly()
    {
        var knownHosts = EmptyKnownHosts();
        var refused = SingleError(Find($"-KeyFile '{_sshd.Ed25519KeyPath}' -KnownHostsFile '{knownHosts}'"));
        Assert.StartsWith("SshHostKeyUnknown", refused.FullyQualifiedErrorId);
        Assert.Contains(_sshd.HostKey.Fingerprint, refused.Exception.Message);
        Assert.Contains("-TrustHostKey", refused.Exception.Message);
        Assert.Equal("", File.ReadAllText(knownHosts));

        var wrongPrint = "SHA256:" + new string('A', 43);
        Assert.StartsWith("SshHostKeyUnknown", SingleError(Find($"-KeyFile '{_sshd.Ed25519KeyPath}' -KnownHostsFile '{knownHosts}' -TrustHostKey '{wrongPrint}'")).FullyQualifiedErrorId);

        var trusted = Find($"-KeyFile '{_sshd.Ed25519KeyPath}' -KnownHostsFile '{knownHosts}' -TrustHostKey '{_sshd.HostKey.Fingerprint}'").ShouldSucceed();
        Assert.Equal("fail.example", trusted.Single<WpSite>().Name);
        Assert.Contains(trusted.Warnings, w => w.Contains("Trusted the SSH host key", StringComparison.Ordinal));
        Assert.StartsWith("|1|", File.ReadAllText(knownHosts));

        Find($"-KeyFile '{_sshd.Ed25519KeyPath}' -KnownHostsFile '{knownHosts}'").ShouldSucceed();
    }

    [Fact]
    public void A_changed_host_key_is_refused_even_with_TrustHostKey()
    {
        var dir = _sshd.NewScratchDirectory("changed");
        Assert.Equal(0, Processes.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(dir, "other")).ExitCode);
        var other = File.ReadAllText(Path.Combine(dir, "other.pub")).Split(' ');
        var knownHosts = Path.Combine(dir, "known_hosts");
        File.WriteAllText(knownHosts, $"[127.0.0.1]:{_sshd.Port} {other[0]} {other[1]}\n");

        var error = SingleError(Find($"-KeyFile '{_sshd.Ed25519KeyPath}' -KnownHostsFile '{knownHosts}' -TrustHostKey '{_sshd.HostKey.Fingerprint}'"));
        Assert.StartsWith("SshHostKeyChanged", error.FullyQualifiedErrorId);
        Assert.Contains("CHANGED", error.Exception.Message);
        Assert.Contains(_sshd.HostKey.Fingerprint, error.Exception.Message);
    }

    [Fact]
    public void Wrong_port_is_an_unreachable_host_naming_host_and_port()
    {
        SshSessions.CloseAll();
        var port = FreePort.Next();
        var error = SingleError(_ps.Run($"Find-WpSite -ComputerName 127.0.0.1 -Port {port} -UserName {_sshd.UserName} -KeyFile '{_sshd.Ed25519KeyPath}' -KnownHostsFile '{_remote.KnownHosts}' -Path /srv"));
        Assert.StartsWith("SshHostUnreachable", error.FullyQualifiedErrorId);
        Assert.Contains($"127.0.0.1 port {port}", error.Exception.Message);
    }

    [Fact]
    public async Task A_server_that_never_greets_times_out_after_ConnectTimeout_naming_host_port_and_timeout()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync(); // held open, never written to: no SSH banner ever comes
        SshSessions.CloseAll();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = SingleError(_ps.Run($"Find-WpSite -ComputerName 127.0.0.1 -Port {port} -UserName {_sshd.UserName} -KeyFile '{_sshd.Ed25519KeyPath}' -KnownHostsFile '{_remote.KnownHosts}' -Path /srv -ConnectTimeout 2"));
        clock.Stop();
        using var client = await accepted;

        Assert.StartsWith("SshHostUnreachable", error.FullyQualifiedErrorId);
        Assert.Contains($"127.0.0.1 port {port}", error.Exception.Message);
        Assert.Contains("timed out after 2 s", error.Exception.Message);
        Assert.Contains("-ConnectTimeout", error.Exception.Message);
        // Bounded, and by -ConnectTimeout: the default (15 s) would overrun this generous bound.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_key_the_server_does_not_know_is_refused_naming_the_host_the_key_and_what_to_check()
    {
        var dir = _sshd.NewScratchDirectory("stranger");
        var stranger = Path.Combine(dir, "id_stranger");
        Assert.Equal(0, Processes.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger).ExitCode);

        var error = SingleError(Find($"-KeyFile '{stranger}' -KnownHostsFile '{_remote.KnownHosts}'"));
        Assert.StartsWith("SshAuthenticationFailed", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains($"{_sshd.UserName}@127.0.0.1:{_sshd.Port} refused the login", error.Exception.Message);
        Assert.Contains($"with the key '{stranger}'", error.Exception.Message);
        Assert.Contains("-UserName", error.Exception.Message);
        Assert.Contains($"authorized_keys on 127.0.0.1", error.Exception.Message);
    }

    [Fact]
    public void Password_login_works_and_a_wrong_password_is_refused()
    {
        PSCredential Credential(string password) => new(_sshd.UserName, new System.Net.NetworkCredential("", password).SecurePassword);
        var known = $"-KnownHostsFile '{_remote.KnownHosts}'";

        Assert.Equal("fail.example", Find($"-Credential $c {known}", ("c", Credential(_sshd.Password))).ShouldSucceed().Single<WpSite>().Name);
        var error = SingleError(Find($"-Credential $c {known}", ("c", Credential("not the password"))));
        Assert.StartsWith("SshAuthenticationFailed", error.FullyQualifiedErrorId);
        Assert.DoesNotContain("not the password", error.Exception.Message);
    }

    [Fact]
    public void A_passphrase_protected_key_needs_the_right_passphrase()
    {
        var key = $"-KeyFile '{_sshd.Ed25519PassphraseKeyPath}' -KnownHostsFile '{_remote.KnownHosts}'";
        System.Security.SecureString Secret(string text) => new System.Net.NetworkCredential("", text).SecurePassword;

        Assert.StartsWith("SshKeyPassphraseNeeded", SingleError(Find(key)).FullyQualifiedErrorId);
        Assert.StartsWith("SshKeyPassphraseWrong", SingleError(Find($"{key} -KeyPassphrase $k", ("k", Secret("wrong")))).FullyQualifiedErrorId);
        Assert.Equal("fail.example", Find($"{key} -KeyPassphrase $k", ("k", Secret(_sshd.KeyPassphrase))).ShouldSucceed().Single<WpSite>().Name);
    }

    [Fact]
    public void A_file_the_login_cannot_read_fails_the_backup_naming_it_and_leaves_nothing()
    {
        var secret = Path.Combine(_remote.Site.Root, "wp-content", "root-only.txt");
        File.WriteAllText(secret, "x");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite); // owned by root
        var dest = _db.NewDirectory("backups");

        var result = _ps.Run($"Find-WpSite {_remote.Connection} -Path $p | New-WpBackup -Type Files -Destination $d", new Dictionary<string, object?> { ["p"] = _remote.WebRoot, ["d"] = dest });
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("FilesUnreadable", error.FullyQualifiedErrorId);
        Assert.Contains("root-only.txt", error.Exception.Message);
        Assert.Empty(Directory.EnumerateFiles(dest, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_dropped_connection_mid_transfer_is_a_transport_error_and_leaves_no_archive()
    {
        // tar reaches this file after the rest of wp-content has streamed; the connection drops while tar waits to read it.
        var held = Path.Combine(_remote.Site.Root, "wp-content", "uploads", "held.bin");
        File.WriteAllBytes(held, new byte[100_000]);
        _remote.ChownToUser(held);
        var dest = _db.NewDirectory("backups");
        SshSessions.CloseAll();

        PipelineResult result;
        using (var gate = FileReadGate.Arm(held, _ => _sshd.KillSessions()))
        {
            result = _ps.Run($"Find-WpSite {_remote.Connection} -Path $p | New-WpBackup -Type Files -Destination $d -RetryCount 0",
                new Dictionary<string, object?> { ["p"] = _remote.WebRoot, ["d"] = dest });
            Assert.True(gate.Fired, "tar never read the held file, so the connection was not dropped mid-transfer");
        }

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Equal("fail.example", Assert.IsType<WpSite>(error.TargetObject).Name);
        // Where and what was running: the server, tar, and the stage (the files of this site).
        Assert.Contains($"{_sshd.UserName}@127.0.0.1:{_sshd.Port}", error.Exception.Message);
        Assert.Contains("tar ", error.Exception.Message);
        Assert.Contains($"archiving the files of '{_remote.Site.Root}'", error.Exception.Message);
        Assert.Empty(Directory.EnumerateFiles(dest, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(dest, "fail.example")));
        Assert.Empty(Directory.GetFiles("/tmp", "wpbackup.*"));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_remote.WebRoot, "*", SearchOption.AllDirectories),
            p => Path.GetFileName(p).Contains("wpbackup", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_failed_remote_dump_leaves_no_option_file_on_the_server()
    {
        var dest = _db.NewDirectory("backups");
        var credential = new PSCredential(_remote.Site.User, new System.Net.NetworkCredential("", "wrong").SecurePassword);
        var result = _ps.Run($"Find-WpSite {_remote.Connection} -Path $p | New-WpBackup -Destination $d -DatabaseCredential $c",
            new Dictionary<string, object?> { ["p"] = _remote.WebRoot, ["d"] = dest, ["c"] = credential });
        Assert.StartsWith("DatabaseAccessDenied", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Empty(Directory.GetFiles("/tmp", "wpbackup.*"));
        Assert.Empty(Directory.EnumerateFiles(dest, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_server_without_tar_or_the_database_tools_is_a_clear_error_naming_the_host()
    {
        using var bare = new RemoteSite(_sshd, _db, "bare.example", posts: 2, toolLess: true);
        var dest = _db.NewDirectory("backups");
        SshSessions.CloseAll();
        var vars = new Dictionary<string, object?> { ["p"] = bare.WebRoot, ["d"] = dest };

        var site = _ps.Run($"Find-WpSite {bare.Connection} -Path $p", vars).ShouldSucceed().Single<WpSite>();
        Assert.Equal("bare.example", site.Name);
        var noDump = _ps.Run("$s | New-WpBackup -Type Database -Destination $d -RetryCount 0", new Dictionary<string, object?> { ["s"] = site, ["d"] = dest });
        var dumpError = Assert.Single(noDump.Errors);
        Assert.StartsWith("DatabaseToolMissing", dumpError.FullyQualifiedErrorId);
        Assert.Contains("127.0.0.1", dumpError.Exception.Message);
        var noTar = _ps.Run("$s | New-WpBackup -Type Files -Destination $d -RetryCount 0", new Dictionary<string, object?> { ["s"] = site, ["d"] = dest });
        var tarError = Assert.Single(noTar.Errors);
        Assert.StartsWith("RemoteToolMissing", tarError.FullyQualifiedErrorId);
        Assert.Contains("tar", tarError.Exception.Message);
        Assert.Empty(Directory.EnumerateFiles(dest, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles("/tmp", "wpbackup.*"));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _remote.Dispose();
        SshSessions.CloseAll();
    }
}
