using WpBackup.Core;
using WpBackup.Core.Errors;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Core.Sites;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Faults;

/// <summary>A destination on a small tmpfs: a full disk is a clear error that leaves earlier backups as they were.</summary>
public sealed class DiskFullTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _mount;

    public DiskFullTests()
    {
        _mount = _temp.Combine("small-disk");
        Directory.CreateDirectory(_mount);
        var (exit, _, error) = Processes.Run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", _mount);
        Assert.True(exit == 0, "mounting a tmpfs needs root: " + error);
    }

    private WpSite Site(int randomMegabytes)
    {
        var root = _temp.Combine("www", "full.example", "htdocs");
        if (!Directory.Exists(root))
            MiniSite.Create(root);
        var data = new byte[randomMegabytes << 20];
        new Random(5).NextBytes(data);
        File.WriteAllBytes(Path.Combine(root, "wp-content", "uploads", "photo.jpg"), data);
        return new SiteFinder().Describe(WpBackup.Core.Hosts.LocalHost.Instance, root);
    }

    private WpBackup.Core.WpBackup Backup(WpSite site, IOperationReporter? reporter = null) =>
        new BackupRunner(reporter ?? NullReporter.Instance).Run(new BackupRequest { Site = site, Type = BackupType.Files, Destination = _mount });

    [Fact]
    public void A_backup_that_cannot_fit_is_refused_up_front()
    {
        var earlier = Backup(Site(1));
        var error = Assert.Throws<DestinationException>(() => Backup(Site(8)));
        Assert.Equal("DestinationFull", error.ErrorId);
        Assert.Contains("bytes free", error.Message);
        AssertOnlyThe(earlier);
    }

    [Fact]
    public void Running_out_of_space_mid_write_is_a_clear_error_and_nothing_is_left()
    {
        var earlier = Backup(Site(1));
        var site = Site(2);
        var error = Assert.Throws<DestinationException>(() => Backup(site, new FillDiskWhenArchiving(Path.Combine(_mount, "filler"))));
        Assert.Equal("DestinationFull", error.ErrorId);
        Assert.Contains("ran out of space", error.Message);
        File.Delete(Path.Combine(_mount, "filler"));
        AssertOnlyThe(earlier);
    }

    private void AssertOnlyThe(WpBackup.Core.WpBackup earlier)
    {
        var listed = Assert.Single(new BackupCatalog(_mount).List());
        Assert.Equal(earlier.Id, listed.Id);
        Assert.Equal(earlier.Sha256, WpBackup.Tests.Verification.ArchiveSurgery.Sha256(earlier.Path));
        var siteFolder = Path.GetDirectoryName(earlier.Path)!;
        Assert.Equal(new[] { Path.GetFileName(earlier.Path), Path.GetFileName(earlier.SidecarPath) }.Order().ToArray(),
            Directory.GetFileSystemEntries(siteFolder).Select(Path.GetFileName).Order().ToArray());
    }

    public void Dispose()
    {
        Processes.Run("umount", _mount);
        _temp.Dispose();
    }

    /// <summary>Takes all the space left on the destination once file archiving starts, as another program might.</summary>
    private sealed class FillDiskWhenArchiving(string filler) : IOperationReporter
    {
        public void Progress(OperationProgress progress) { }
        public void Warning(string message) { }

        public void Verbose(string message)
        {
            if (!message.Contains("archiving", StringComparison.Ordinal))
                return;
            using var file = File.Create(filler);
            var block = new byte[64 << 10];
            try
            {
                while (true)
                    file.Write(block);
            }
            catch (IOException)
            {
                // the disk is full now
            }
        }
    }
}
