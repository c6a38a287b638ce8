using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Remote;

/// <summary>
/// On a server, as locally (RestoreSwapTests): a site that an interrupted restore moved aside and
/// did not replace is put back by the next restore before anything else, never removed as a leftover.
/// </summary>
[Collection("remote")]
public sealed class RemoteRestoreSwapTests(SshdFixture sshd, MariaDbFixture db) : IDisposable
{
    private readonly PowerShellSession _ps = new();
    private readonly RemoteSite _remote = new(sshd, db, "aside.example", posts: 5);

    [Fact]
    public void A_site_moved_aside_on_the_server_is_put_back_first_even_when_the_next_restore_fails()
    {
        var vars = new Dictionary<string, object?> { ["p"] = _remote.WebRoot, ["d"] = db.NewDirectory("backups") };
        var backup = _ps.Run($"Find-WpSite {_remote.Connection} -Path $p | New-WpBackup -Type Files -Destination $d", vars).ShouldSucceed().Single<BackupInfo>();
        var root = _remote.Site.Root;
        var parent = Path.GetDirectoryName(root)!;
        File.WriteAllText(Path.Combine(root, "after.txt"), "written after the backup");
        _remote.ChownToUser(root);
        var site = TreeSnapshot.Take(root);
        Directory.Move(root, Path.Combine(parent, $".htdocs.wpbackup-old-{Guid.NewGuid():N}"));
        var staged = Directory.CreateDirectory(Path.Combine(parent, $".htdocs.wpbackup-restore-{Guid.NewGuid():N}")).FullName;
        File.WriteAllText(Path.Combine(staged, "index.php"), "restored");
        _remote.ChownToUser(parent);
        using (var archive = new FileStream(backup.Path, FileMode.Open))
            archive.SetLength(archive.Length / 2);

        var result = _ps.Run($"Restore-WpBackup -Path $a -Target $t {_remote.Connection} -Confirm:$false",
            new Dictionary<string, object?> { ["a"] = backup.Path, ["t"] = root });

        Assert.NotEmpty(result.Errors);
        Assert.Contains(result.Warnings, w => w.Contains("put '", StringComparison.Ordinal) && w.Contains($"back at '{root}' on 127.0.0.1", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains($"removed '{staged}' on 127.0.0.1", StringComparison.Ordinal));
        Assert.Equal(site, TreeSnapshot.Take(root));
        Assert.Equal(["htdocs"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _remote.Dispose();
    }
}
