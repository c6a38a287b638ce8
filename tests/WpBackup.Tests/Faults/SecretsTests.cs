using System.Text;
using WpBackup.Core;
using WpBackup.Core.Hosts.Ssh;
using WpBackup.Core.Sites;
using WpBackup.Tests.Remote;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Faults;

/// <summary>
/// While backups and restores run, locally and over SSH, every process's argv and environment
/// on the machine is sampled: the database password never shows. Hostile wp-config values are
/// data, never shell code.
/// </summary>
[Collection("remote")]
public sealed class SecretsTests(SshdFixture sshd, MariaDbFixture db) : IDisposable
{
    private readonly PowerShellSession _ps = new();

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void The_password_is_in_no_process_argv_or_environment_during_local_and_remote_runs()
    {
        using var remote = new RemoteSite(sshd, db, "secret.example", posts: 40);
        var password = remote.Site.Password;
        var dest = db.NewDirectory("backups");
        SshSessions.CloseAll();

        using (var watcher = new ProcessWatcher(password))
        {
            // The watcher must see a secret wherever a process can show it: on its command line and in its environment.
            Assert.Equal(["cmdline"], SightingsOfWaitingChild(watcher, ["sh", password], environment: null));
            Assert.Equal(["environ"], SightingsOfWaitingChild(watcher, [], environment: password));
        }

        using var watch = new ProcessWatcher(password);
        var local = _ps.Run("New-WpBackup -Path $r -Destination $d -Verbose", Vars(("r", remote.Site.Root), ("d", dest))).ShouldSucceed();
        var fromServer = _ps.Run($"Find-WpSite {remote.Connection} -Path $p | New-WpBackup -Destination $d -Verbose", Vars(("p", remote.WebRoot), ("d", dest))).ShouldSucceed();
        var restoredOverSsh = _ps.Run($"$b | Restore-WpBackup -KeyFile '{sshd.Ed25519KeyPath}' -KnownHostsFile '{remote.KnownHosts}' -Confirm:$false -Verbose",
            Vars(("b", fromServer.Output.Single()))).ShouldSucceed();
        var restoredLocally = _ps.Run("$b | Restore-WpBackup -Confirm:$false -Verbose", Vars(("b", local.Output.Single()))).ShouldSucceed();
        Assert.Empty(watch.Sightings);
        Assert.True(watch.Samples > 10, $"only {watch.Samples} samples were taken");
        Assert.Equal("127.0.0.1", restoredOverSsh.Single<WpBackup.Core.WpRestoreResult>().ComputerName);
        Assert.Equal(WpSite.LocalComputerName, restoredLocally.Single<WpBackup.Core.WpRestoreResult>().ComputerName);
        Assert.Contains(restoredLocally.Verbose, v => v.Contains("loading the", StringComparison.Ordinal)); // the local restore fed its dump to the database client

        var everythingSaid = string.Join("\n", new[] { local, fromServer, restoredOverSsh, restoredLocally }.SelectMany(r => r.Verbose.Concat(r.Warnings).Concat(r.Output.Select(o => o.ToString()))));
        Assert.DoesNotContain(password, everythingSaid);
        foreach (var sidecar in Directory.GetFiles(dest, "*.json", SearchOption.AllDirectories))
            Assert.DoesNotContain(password, File.ReadAllText(sidecar));

        var serialized = _ps.Run("$s = Find-WpSite -Path $p; $b = Get-WpBackup -Destination $d; [System.Management.Automation.PSSerializer]::Serialize(@($s, $b), 5)",
            Vars(("p", remote.WebRoot), ("d", dest))).ShouldSucceed();
        Assert.DoesNotContain(password, serialized.Output[0].ToString());
        Assert.Contains("secret.example", serialized.Output[0].ToString());
    }

    /// <summary>
    /// Starts a shell that waits on its stdin, with <paramref name="arguments"/> after its script and
    /// <paramref name="environment"/> as a variable's value, until the watcher has seen the secret in it;
    /// returns where it was seen.
    /// </summary>
    private static IReadOnlyList<string> SightingsOfWaitingChild(ProcessWatcher watcher, string[] arguments, string? environment)
    {
        var info = new System.Diagnostics.ProcessStartInfo("sh") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", "read line" }.Concat(arguments))
            info.ArgumentList.Add(argument);
        if (environment is not null)
            info.Environment["WPBACKUP_PLANTED"] = environment;
        using var child = System.Diagnostics.Process.Start(info)!;
        try
        {
            return watcher.WaitForSighting(child.Id, TimeSpan.FromSeconds(10));
        }
        finally
        {
            child.StandardInput.Close();
            child.WaitForExit();
        }
    }

    [Fact]
    public void A_restore_keeps_wp_config_private()
    {
        using var remote = new RemoteSite(sshd, db, "private.example", posts: 5);
        var dest = db.NewDirectory("backups");
        File.SetUnixFileMode(remote.Site.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _ps.Run("New-WpBackup -Path $r -Type Files -Destination $d", Vars(("r", remote.Site.Root), ("d", dest))).ShouldSucceed();
        var target = db.NewDirectory("restored");
        _ps.Run("Get-WpBackup -Destination $d | Restore-WpBackup -Target $t -Confirm:$false", Vars(("d", dest), ("t", target))).ShouldSucceed();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(target, "wp-config.php")));
    }

    [Theory]
    [InlineData("x; touch {0}")]
    [InlineData("$(touch {0})")]
    [InlineData("`touch {0}`")]
    [InlineData("x\ntouch {0}")]
    [InlineData("' ; touch {0} ; '")]
    [InlineData("--init-command=DO 1; touch {0}")]
    public void Shell_metacharacters_in_wp_config_are_data_locally_and_over_ssh(string hostileName)
    {
        var canary = Path.Combine("/tmp", "wpbackup-canary-" + Guid.NewGuid().ToString("N"));
        var value = string.Format(hostileName, canary).Replace("\\", "\\\\").Replace("'", "\\'");
        using var remote = new RemoteSite(sshd, db, "hostile.example", posts: 2);
        var config = File.ReadAllText(remote.Site.ConfigPath);
        var start = config.IndexOf("define( 'DB_NAME'", StringComparison.Ordinal);
        Assert.True(start >= 0, "the sandbox wp-config has no DB_NAME define");
        var end = config.IndexOf(");", start, StringComparison.Ordinal) + 2;
        File.WriteAllText(remote.Site.ConfigPath, config[..start] + $"define( 'DB_NAME', '{value}' );" + config[end..]);
        var dest = db.NewDirectory("backups");
        SshSessions.CloseAll();

        var local = _ps.Run("New-WpBackup -Path $r -Destination $d", Vars(("r", remote.Site.Root), ("d", dest)));
        var overSsh = _ps.Run($"Find-WpSite {remote.Connection} -Path $p | New-WpBackup -Destination $d", Vars(("p", remote.WebRoot), ("d", dest)));

        Assert.False(File.Exists(canary), "a shell ran code from wp-config.php");
        Assert.Single(local.Errors);
        Assert.Single(overSsh.Errors);
        Assert.StartsWith("Database", local.Errors[0].FullyQualifiedErrorId);
        Assert.StartsWith("Database", overSsh.Errors[0].FullyQualifiedErrorId);
    }

    public void Dispose()
    {
        _ps.Dispose();
        SshSessions.CloseAll();
    }
}
