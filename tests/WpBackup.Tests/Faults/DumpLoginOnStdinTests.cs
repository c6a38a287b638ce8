using System.Collections.Concurrent;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Faults;

/// <summary>
/// A backup hands the database login to the dump tool and the size queries on their stdin, so no
/// option file with the password is ever created — there is nothing a kill -9 could leave behind.
/// </summary>
[Collection("mariadb")]
public sealed class DumpLoginOnStdinTests(MariaDbFixture db) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly PowerShellSession _ps = new();

    [Fact]
    public void A_backup_creates_no_option_file_in_the_temp_folder()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var database = "stdinlogin_" + suffix;
        var user = "sl_" + suffix;
        var password = "stdin login " + suffix;
        db.Server.Query($"CREATE DATABASE `{database}`; CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'; GRANT ALL ON `{database}`.* TO '{user}'@'127.0.0.1';");
        db.Server.Query("CREATE TABLE wp_posts (id INT PRIMARY KEY, v TEXT); INSERT INTO wp_posts VALUES (1, 'hello');", database);
        var root = MiniSite.Create(Path.Combine(db.NewDirectory("stdinlogin-www"), "stdinlogin.example", "htdocs"),
            $"<?php\ndefine('DB_NAME', '{database}');\ndefine('DB_USER', '{user}');\ndefine('DB_PASSWORD', '{password}');\ndefine('DB_HOST', '127.0.0.1:{db.Server.Port}');\n$table_prefix = 'wp_';\n");
        var dest = db.NewDirectory("stdinlogin-backups");

        var created = new BlockingCollection<string>();
        using var watcher = new FileSystemWatcher(Path.GetTempPath(), "wpbackup*") { IncludeSubdirectories = false };
        watcher.Created += (_, e) => created.Add(e.Name!);
        watcher.EnableRaisingEvents = true;
        // Sentinels prove the watcher is live before the run and has delivered every event of the run after it.
        WaitForSentinel(created, "start");

        var backup = _ps.Run("New-WpBackup -Path $p -Type Full -Destination $d", new Dictionary<string, object?> { ["p"] = root, ["d"] = dest })
            .ShouldSucceed().Single<BackupInfo>();
        var seen = WaitForSentinel(created, "end");

        Assert.True(backup.DatabaseSize > 0, "the database was dumped");
        Assert.Empty(seen.Where(name => name.EndsWith(".cnf", StringComparison.Ordinal)));
    }

    private static List<string> WaitForSentinel(BlockingCollection<string> created, string label)
    {
        var sentinel = $"wpbackup-sentinel-{label}-{Guid.NewGuid():N}";
        var path = Path.Combine(Path.GetTempPath(), sentinel);
        File.WriteAllText(path, "");
        try
        {
            var seen = new List<string>();
            while (created.TryTake(out var name, Limit))
            {
                if (name == sentinel)
                    return seen;
                seen.Add(name);
            }
            throw new Xunit.Sdk.XunitException($"the temp folder watcher never reported {sentinel}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose() => _ps.Dispose();
}
