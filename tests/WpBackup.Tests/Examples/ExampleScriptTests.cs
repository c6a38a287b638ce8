using System.Management.Automation;
using WpBackup.Core;
using WpBackup.Sandbox;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Examples;

/// <summary>
/// The examples that run in the wpbackup host, each run as a whole process against real WordPress
/// sites on a real MariaDB, with an inventory file written here (WPBACKUP_CONFIG), and their effects checked.
/// </summary>
[Collection("mariadb")]
public sealed class ExampleScriptTests(MariaDbFixture fixture)
{
    private static string Example(string name) => Path.Combine(ScriptCheck.RepositoryRoot(), "examples", name);

    private DemoSite BuildSite(string www, string name) =>
        WordPressSiteBuilder.Build(Path.Combine(www, name, "htdocs"), fixture.Server,
            new SiteOptions { HostName = name, PostCount = 5, UploadsBytes = 64 * 1024 });

    private static string WriteInventory(string folder, string destination, params (string Name, string Root)[] sites)
    {
        var path = Path.Combine(folder, "inventory.yml");
        var text = $"defaults:\n  destination: '{destination}'\n  retention:\n    keepLast: 1\nsites:\n"
            + string.Concat(sites.Select(s => $"  - name: {s.Name}\n    root: '{s.Root}'\n"));
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private static async Task<ShellResult> RunFile(Dictionary<string, string> environment, string script, params string[] arguments)
    {
        string[] all = ["-File", Example(script), .. arguments];
        using var process = ShellProcess.StartWith(environment, all);
        return await ShellProcess.FinishAsync(process, all);
    }

    private static List<BackupInfo> Backups(string destination, string site)
    {
        using var session = new PowerShellSession();
        return session.Run("Get-WpBackup -Destination $d -Site $s", new Dictionary<string, object?> { ["d"] = destination, ["s"] = site })
            .ShouldSucceed().All<BackupInfo>().OrderBy(b => b.Created).ThenBy(b => b.Id).ToList();
    }

    private static bool Passes(BackupInfo backup)
    {
        using var session = new PowerShellSession();
        return session.Run("$b | Test-WpBackup", new Dictionary<string, object?> { ["b"] = backup }).ShouldSucceed()
            .Single<WpBackup.Core.WpBackupTestResult>().Passed;
    }

    [Fact]
    public async Task Nightly_backs_up_every_inventory_site_chains_incrementals_applies_retention_and_verifies()
    {
        var www = fixture.NewDirectory("www");
        var backups = fixture.NewDirectory("backups");
        var alpha = BuildSite(www, "alpha.example");
        var beta = BuildSite(www, "beta.example");
        var env = new Dictionary<string, string>
        {
            ["WPBACKUP_CONFIG"] = WriteInventory(fixture.NewDirectory("config"), backups, ("alpha.example", alpha.Root), ("beta.example", beta.Root)),
        };

        // Night 1: no earlier backup, so each incremental request makes a Full one.
        var first = await RunFile(env, "nightly-backup.ps1");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("OK: 2 backup(s) made and verified", first.StdOut);
        foreach (var site in new[] { "alpha.example", "beta.example" })
            Assert.Equal(BackupType.Full, Assert.Single(Backups(backups, site)).Type);

        // Night 2: an incremental on top; keepLast 1 keeps it and, through the chain, its Full parent.
        File.WriteAllText(Path.Combine(alpha.Root, "wp-content", "uploads", "night2.txt"), "new upload");
        var second = await RunFile(env, "nightly-backup.ps1");
        Assert.True(second.ExitCode == 0, second.ToString());
        foreach (var site in new[] { "alpha.example", "beta.example" })
        {
            var chain = Backups(backups, site);
            Assert.Equal([BackupType.Full, BackupType.Incremental], chain.Select(b => b.Type));
            Assert.Equal(chain[0].Id, chain[1].Parent);
            Assert.All(chain, b => Assert.True(Passes(b), $"{b} does not pass Test-WpBackup"));
        }
        Assert.Equal(1, Backups(backups, "alpha.example")[1].StoredFileCount);
        Assert.Contains("verified alpha.example/", second.StdOut);

        // Night 3 with -FullEvery 1: a new Full backup, and keepLast 1 now removes the old chain.
        var third = await RunFile(env, "nightly-backup.ps1", "-FullEvery", "1");
        Assert.True(third.ExitCode == 0, third.ToString());
        foreach (var site in new[] { "alpha.example", "beta.example" })
        {
            var left = Assert.Single(Backups(backups, site));
            Assert.Equal(BackupType.Full, left.Type);
            Assert.Equal("nightly", left.Reason);
            Assert.True(Passes(left));
        }
        Assert.DoesNotContain(alpha.Password, first.StdOut + first.StdErr + second.StdOut + third.StdOut + third.StdErr);
    }

    [Fact]
    public async Task Nightly_exits_1_when_a_site_fails_and_still_backs_up_the_others()
    {
        var www = fixture.NewDirectory("www");
        var backups = fixture.NewDirectory("backups");
        var good = BuildSite(www, "good.example");
        var notWordPress = Directory.CreateDirectory(Path.Combine(www, "broken.example")).FullName;
        var env = new Dictionary<string, string>
        {
            ["WPBACKUP_CONFIG"] = WriteInventory(fixture.NewDirectory("config"), backups, ("good.example", good.Root), ("broken.example", notWordPress)),
        };

        var result = await RunFile(env, "nightly-backup.ps1");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("FAILED: 1 problem(s)", result.StdOut);
        Assert.Contains("broken.example", result.StdOut);
        Assert.True(Passes(Assert.Single(Backups(backups, "good.example"))));
        Assert.Empty(Backups(backups, "broken.example"));
    }

    [Fact]
    public async Task Pre_update_takes_a_database_backup_and_its_printed_rollback_command_restores_the_database()
    {
        var www = fixture.NewDirectory("www");
        var backups = fixture.NewDirectory("backups");
        var site = BuildSite(www, "shop.example");
        var env = new Dictionary<string, string>
        {
            ["WPBACKUP_CONFIG"] = WriteInventory(fixture.NewDirectory("config"), backups, ("shop.example", site.Root)),
        };
        var before = DatabaseState.Take(fixture.Server, site.DatabaseName);

        var result = await RunFile(env, "pre-update-backup.ps1", "-Site", "shop.example", "-Note", "WooCommerce 9.4");

        Assert.True(result.ExitCode == 0, result.ToString());
        var backup = Assert.Single(Backups(backups, "shop.example"));
        Assert.Equal(BackupType.Database, backup.Type);
        Assert.Equal("pre-update", backup.Reason);
        Assert.Equal("WooCommerce 9.4", backup.Metadata["update"]);
        var rollback = Assert.Single(result.StdOut.Split('\n'), l => l.StartsWith("Roll back with: ", StringComparison.Ordinal))["Roll back with: ".Length..].Trim();
        Assert.Contains(backup.Path, rollback);

        // The "update" goes wrong: every post is gone. The printed command brings the database back.
        fixture.Server.Query("DELETE FROM wp_posts", site.DatabaseName);
        Assert.NotEqual(before, DatabaseState.Take(fixture.Server, site.DatabaseName));
        var restore = await ShellProcess.CommandAsync(rollback);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(before, DatabaseState.Take(fixture.Server, site.DatabaseName));

        // A failing -UpdateCommand: exit 1, and the rollback is printed again.
        var failed = await RunFile(env, "pre-update-backup.ps1", "-Site", "shop.example", "-UpdateCommand", "exit 3");
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("The update failed (exit code 3). Roll back with: Restore-WpBackup -Path", failed.StdOut);
        Assert.Equal(2, Backups(backups, "shop.example").Count);
    }

    [Fact]
    public async Task Restore_to_staging_whatif_changes_nothing_then_restores_files_and_database_and_repoints_wp_config()
    {
        var www = fixture.NewDirectory("www");
        var backups = fixture.NewDirectory("backups");
        var site = BuildSite(www, "blog.example");
        var made = await ShellProcess.RunAsync("-Command", $"New-WpBackup -Path '{site.Root}' -Destination '{backups}' -Type Full");
        Assert.True(made.ExitCode == 0, made.ToString());
        var target = Path.Combine(fixture.NewDirectory("staging"), "blog.example");
        var stagingDb = site.DatabaseName + "_stg";
        const string stagingUser = "stg_blog", stagingPassword = "Stg pass 'with' $quotes\\";
        fixture.Server.CreateDatabase(stagingDb, stagingUser, stagingPassword);
        string[] arguments = ["-Site", "blog.example", "-Target", target, "-DatabaseName", stagingDb, "-Destination", backups];

        var whatIf = await RunFile([], "restore-to-staging.ps1", [.. arguments, "-WhatIf"]);
        Assert.True(whatIf.ExitCode == 0, whatIf.ToString());
        Assert.Contains("What if:", whatIf.StdOut + whatIf.StdErr);
        Assert.False(Directory.Exists(target));
        Assert.Empty(DatabaseState.Take(fixture.Server, stagingDb));

        // The real run, with the staging login passed as a PSCredential (so through -Command).
        var env = new Dictionary<string, string> { ["STG_PASSWORD"] = stagingPassword };
        var script = $"& '{Example("restore-to-staging.ps1")}' -Site blog.example -Target '{target}' -DatabaseName {stagingDb} -Destination '{backups}' "
            + $"-DatabaseCredential ([pscredential]::new('{stagingUser}', [System.Net.NetworkCredential]::new('', $env:STG_PASSWORD).SecurePassword))";
        using var process = ShellProcess.StartWith(env, "-Command", script);
        var result = await ShellProcess.FinishAsync(process, "-Command", script);
        Assert.True(result.ExitCode == 0, result.ToString());

        Assert.Equal(DatabaseState.Take(fixture.Server, site.DatabaseName), DatabaseState.Take(fixture.Server, stagingDb));
        static Dictionary<string, string> Files(string root) => TreeSnapshot.Take(root)
            .Where(e => e.Key != "wp-config.php" && !e.Value.StartsWith("dir ", StringComparison.Ordinal)).ToDictionary();
        Assert.Equal(Files(site.Root), Files(target));

        // The staging copy runs against the staging database, with the staging login.
        var php = Processes.Run("php", "-r",
            "chdir($argv[1]); define('WP_USE_THEMES', false); require 'wp-load.php'; echo DB_NAME, '|', DB_USER, '|', DB_PASSWORD === $argv[2] ? 'ok' : 'bad', '|', wp_count_posts()->publish;",
            "--", target, stagingPassword);
        Assert.True(php.ExitCode == 0, php.Stdout + php.Stderr);
        Assert.Equal($"{stagingDb}|{stagingUser}|ok|{site.PostCount + 1}", php.Stdout.Trim());
        Assert.DoesNotContain(stagingPassword, result.StdOut + result.StdErr);
    }
}
