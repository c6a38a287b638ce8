using System.Diagnostics;
using WpBackup.Core;
using WpBackup.Core.Errors;
using WpBackup.Core.Hosts;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;
using Xunit.Abstractions;

namespace WpBackup.Tests.Faults;

/// <summary>
/// The last step of a restore moves the site aside and the restored tree into its place. A run
/// killed between the two leaves no site at the target, only the moved-aside copy: the next
/// restore must put that copy back before anything else, never delete it as a leftover.
/// </summary>
public sealed class RestoreSwapTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Root => _temp.Combine("www", "swap.example", "htdocs");
    private string Parent => Path.GetDirectoryName(Root)!;

    private WpBackup.Core.WpBackup BackUp()
    {
        if (!Directory.Exists(Root))
            MiniSite.Create(Root);
        var site = new SiteFinder().Describe(LocalHost.Instance, Root);
        return new BackupRunner(NullReporter.Instance).Run(new BackupRequest { Site = site, Type = BackupType.Files, Destination = _temp.Combine("backups") });
    }

    [Fact]
    public void A_site_moved_aside_by_an_interrupted_restore_is_put_back_first_even_when_the_next_restore_fails()
    {
        var backup = BackUp();
        File.WriteAllText(Path.Combine(Root, "after.txt"), "written after the backup");
        var site = TreeSnapshot.Take(Root);
        // What a restore killed between its two renames leaves: the site aside, the restored tree still staged.
        Directory.Move(Root, Path.Combine(Parent, $".htdocs.wpbackup-old-{Guid.NewGuid():N}"));
        var staged = Directory.CreateDirectory(Path.Combine(Parent, $".htdocs.wpbackup-restore-{Guid.NewGuid():N}"));
        File.WriteAllText(Path.Combine(staged.FullName, "index.php"), "restored");
        var damaged = CopyTruncated(backup);

        var warnings = new List<string>();
        var error = Assert.ThrowsAny<WpBackupException>(() =>
            new RestoreRunner(new WarningCollector(warnings)).Run(RestoreRunner.Plan(new RestoreRequest { Backup = damaged, Target = Root })));

        output.WriteLine(error.Message);
        Assert.Contains(warnings, w => w.Contains("put '", StringComparison.Ordinal) && w.Contains($"back at '{Root}'", StringComparison.Ordinal));
        Assert.Equal(site, TreeSnapshot.Take(Root));
        Assert.Equal(["htdocs"], Directory.GetFileSystemEntries(Parent).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_restore_killed_as_it_swaps_the_trees_leaves_the_site_recoverable_and_the_next_restore_completes()
    {
        var big = Path.Combine(Root, "wp-content", "uploads", "many");
        var backup = BackUp();
        var backedUp = TreeSnapshot.Take(Root);
        Directory.CreateDirectory(big);
        for (var i = 0; i < 3000; i++)
            File.WriteAllText(Path.Combine(big, $"f{i:0000}.txt"), "a file that makes removing the old tree take a while");

        using var movedAside = new SemaphoreSlim(0);
        Process? process = null;
        using var watcher = new FileSystemWatcher(Parent, ".htdocs.wpbackup-old-*");
        watcher.Renamed += (_, _) => { process?.Kill(); movedAside.Release(); };
        watcher.EnableRaisingEvents = true;
        process = ShellProcess.Start("-Command", $"Restore-WpBackup -Path '{backup.Path}' -Confirm:$false");
        Assert.True(await movedAside.WaitAsync(TimeSpan.FromSeconds(120)), "the restore never moved the site aside");
        process.Kill();
        await process.WaitForExitAsync();
        watcher.EnableRaisingEvents = false;
        var siteThere = Directory.Exists(Root);
        output.WriteLine($"killed as the site was moved aside; site at the target afterwards: {siteThere}; beside it: " +
                         string.Join(", ", Directory.GetFileSystemEntries(Parent).Select(Path.GetFileName)));
        Assert.True(siteThere || Directory.EnumerateDirectories(Parent, ".htdocs.wpbackup-old-*").Any(), "neither the site nor its moved-aside copy is there");

        var warnings = new List<string>();
        new RestoreRunner(new WarningCollector(warnings)).Run(RestoreRunner.Plan(new RestoreRequest { Backup = backup }));

        output.WriteLine(string.Join(" | ", warnings));
        Assert.Equal(siteThere, !warnings.Any(w => w.Contains("put '", StringComparison.Ordinal)));
        Assert.Equal(backedUp, TreeSnapshot.Take(Root));
        Assert.Equal(["htdocs"], Directory.GetFileSystemEntries(Parent).Select(Path.GetFileName));
    }

    private WpBackup.Core.WpBackup CopyTruncated(WpBackup.Core.WpBackup backup)
    {
        var siteFolder = Directory.CreateDirectory(_temp.Combine("damaged", backup.Site)).FullName;
        var archive = Path.Combine(siteFolder, Path.GetFileName(backup.Path));
        File.Copy(backup.Path, archive);
        File.Copy(backup.SidecarPath, BackupCatalog.SidecarPathFor(archive));
        using (var file = new FileStream(archive, FileMode.Open))
            file.SetLength(file.Length / 2);
        return Assert.Single(new BackupCatalog(_temp.Combine("damaged")).List());
    }

    public void Dispose() => _temp.Dispose();
}
