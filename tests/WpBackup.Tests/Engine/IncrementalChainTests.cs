using WpBackup.Core;
using WpBackup.Core.Errors;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Engine;

/// <summary>
/// Chains of incremental backups of a real folder tree with a small real database (incrementals
/// always dump the database): what each stores, and restores from any point.
/// </summary>
[Collection("mariadb")]
public sealed class IncrementalChainTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly List<string> _warnings = [];
    private readonly MariaDbFixture _db;
    private readonly string _config;

    public IncrementalChainTests(MariaDbFixture db)
    {
        _db = db;
        var name = "chain_" + Guid.NewGuid().ToString("N")[..8];
        db.Server.CreateDatabase(name, name, "chain-pass");
        db.Server.Query($"CREATE TABLE `{name}`.wp_options (option_id INT PRIMARY KEY, option_value TEXT); INSERT INTO `{name}`.wp_options VALUES (1, 'x');");
        _config = $"<?php\ndefine('DB_NAME', '{name}');\ndefine('DB_USER', '{name}');\ndefine('DB_PASSWORD', 'chain-pass');\ndefine('DB_HOST', '127.0.0.1:{db.Server.Port}');\n";
    }

    private string Root => _temp.Combine("www", "chain.example", "htdocs");
    private string Destination => _temp.Combine("backups");

    private WpSite Site()
    {
        if (!Directory.Exists(Root))
        {
            MiniSite.Create(Root, _config);
            for (var i = 0; i < 20; i++)
                File.WriteAllText(Path.Combine(Root, "wp-content", "uploads", $"f{i}.txt"), new string((char)('a' + i), 10_000 + i));
        }
        return new SiteFinder().Describe(WpBackup.Core.Hosts.LocalHost.Instance, Root);
    }

    private WpBackup.Core.WpBackup Backup(BackupType type, int? fullEvery = null, bool compareContent = false) =>
        new BackupRunner(new WarningCollector(_warnings)).Run(new BackupRequest
        {
            Site = Site(), Type = type, Destination = Destination,
            FullEvery = fullEvery, CompareContent = compareContent,
        });

    private WpRestoreResult Restore(WpBackup.Core.WpBackup backup, string target) =>
        new RestoreRunner(NullReporter.Instance).Run(RestoreRunner.Plan(new RestoreRequest { Backup = backup, Target = target, Type = BackupType.Files }));

    private string Upload(string name) => Path.Combine(Root, "wp-content", "uploads", name);

    /// <summary>Moves a file's time on, as an edit would, beyond the filesystem's time resolution.</summary>
    private static void Edit(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
    }

    [Fact]
    public void Each_incremental_stores_only_changes_and_restores_the_tree_as_it_was()
    {
        Site();
        var base0 = Backup(BackupType.Full);
        var at0 = TreeSnapshot.Take(Root);

        Edit(Upload("f1.txt"), "changed once");
        File.WriteAllText(Upload("new.txt"), "new file");
        File.Delete(Upload("f2.txt"));
        var inc1 = Backup(BackupType.Incremental);
        var at1 = TreeSnapshot.Take(Root);
        Assert.True(inc1.DatabaseSize > 0);

        Edit(Upload("f1.txt"), "changed twice"); // new.txt stays: its bytes are in inc1's archive
        var inc2 = Backup(BackupType.Incremental);
        var at2 = TreeSnapshot.Take(Root);

        Assert.Equal(BackupType.Incremental, inc1.Type);
        Assert.Equal(base0.Id, inc1.Parent);
        Assert.Equal(2, inc1.StoredFileCount);
        Assert.Equal(base0.FileCount, inc1.FileCount); // one added, one deleted
        Assert.Equal([base0.Id], inc1.Requires);
        Assert.Contains("wp-content/uploads/f2.txt", inc1.Manifest.Deleted ?? ReadDeleted(inc1));
        Assert.Equal(inc1.Id, inc2.Parent);
        Assert.Equal(1, inc2.StoredFileCount);
        Assert.Equal([base0.Id, inc1.Id], inc2.Requires.Order().ToList());
        Assert.True(inc2.Size < base0.Size);

        var middle = _temp.Combine("restore-middle");
        var result = Restore(inc1, middle);
        Assert.Equal(at1, TreeSnapshot.Take(middle));
        Assert.Equal(2, result.Archives.Count);

        var end = _temp.Combine("restore-end");
        Assert.Equal(3, Restore(inc2, end).Archives.Count);
        Assert.Equal(at2, TreeSnapshot.Take(end));
        Assert.NotEqual(at0, at2);
    }

    [Fact]
    public void A_no_change_incremental_stores_no_file()
    {
        Backup(BackupType.Full);
        var nothing = Backup(BackupType.Incremental);
        Assert.Equal(0, nothing.StoredFileCount);
        Assert.Empty(nothing.Manifest.Deleted ?? ReadDeleted(nothing));
    }

    [Fact]
    public void A_missing_parent_archive_is_named_before_anything_is_overwritten()
    {
        var base0 = Backup(BackupType.Full);
        Edit(Upload("f3.txt"), "changed");
        var inc = Backup(BackupType.Incremental);
        File.Delete(base0.Path);

        var target = _temp.Combine("existing");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "mine");
        var error = Assert.Throws<BackupNotFoundException>(() => Restore(inc, target));
        Assert.Equal("ParentMissing", error.ErrorId);
        Assert.Contains(base0.Id, error.Message);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Single(Directory.GetDirectories(_temp.Path), d => Path.GetFileName(d) == "existing");
    }

    [Fact]
    public void With_no_earlier_backup_an_incremental_becomes_full_and_says_so()
    {
        var first = Backup(BackupType.Incremental);
        Assert.Equal(BackupType.Full, first.Type);
        Assert.Null(first.Parent);
        Assert.Contains(_warnings, w => w.Contains("making a Full backup", StringComparison.Ordinal));
    }

    [Fact]
    public void FullEvery_starts_a_new_chain_when_the_chain_is_long_enough()
    {
        Backup(BackupType.Full);
        var second = Backup(BackupType.Incremental, fullEvery: 2);
        var third = Backup(BackupType.Incremental, fullEvery: 2);
        Assert.Equal(BackupType.Incremental, second.Type);
        Assert.Equal(BackupType.Full, third.Type);
        var fourth = Backup(BackupType.Incremental, fullEvery: 2);
        Assert.Equal(third.Id, fourth.Parent);
    }

    [Fact]
    public void CompareContent_carries_a_touched_but_identical_file_and_catches_a_same_time_edit()
    {
        Backup(BackupType.Full);
        var touched = Upload("f4.txt");
        File.SetLastWriteTimeUtc(touched, File.GetLastWriteTimeUtc(touched).AddHours(1));
        Assert.Equal(1, Backup(BackupType.Incremental).StoredFileCount);
        Assert.Equal(0, Backup(BackupType.Incremental, compareContent: true).StoredFileCount);

        var sneaky = Upload("f5.txt");
        var time = File.GetLastWriteTimeUtc(sneaky);
        var original = File.ReadAllText(sneaky);
        File.WriteAllText(sneaky, original.Replace('f', 'F')); // same size, same time, other bytes
        File.SetLastWriteTimeUtc(sneaky, time);
        Assert.Equal(0, Backup(BackupType.Incremental).StoredFileCount);
        var caught = Backup(BackupType.Incremental, compareContent: true);
        Assert.Equal(1, caught.StoredFileCount);

        var target = _temp.Combine("check");
        Restore(caught, target);
        Assert.Equal(File.ReadAllText(sneaky), File.ReadAllText(Path.Combine(target, "wp-content", "uploads", "f5.txt")));
    }

    private static List<string> ReadDeleted(WpBackup.Core.WpBackup backup) =>
        WpBackup.Core.Archives.ArchiveReader.ReadManifest(backup.Path, backup.Manifest.ManifestOffset).Deleted ?? [];

    public void Dispose() => _temp.Dispose();

}
