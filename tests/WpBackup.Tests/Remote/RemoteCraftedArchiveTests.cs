using System.Formats.Tar;
using System.Management.Automation;
using WpBackup.Tests.Archives;
using WpBackup.Tests.Ssh;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Remote;

/// <summary>
/// Hostile archives restored onto a server through the real sshd: refused on this side before the
/// hostile entry is sent, so nothing appears on the server outside or inside the target, and no
/// staging folder is left beside it.
/// </summary>
[Collection("remote")]
public sealed class RemoteCraftedArchiveTests : IDisposable
{
    private readonly SshdFixture _sshd;
    private readonly PowerShellSession _ps = new();
    private readonly TempFolder _local = new();
    private readonly string _server;

    public RemoteCraftedArchiveTests(SshdFixture sshd)
    {
        _sshd = sshd;
        // The server side: a folder of the SSH login's own, so that only WpBackup's checks stand between an entry and it.
        _server = Path.Combine(sshd.UserHome, "crafted-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(_server, "restore"));
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Secret, "do not copy");
        Assert.Equal(0, Processes.Run("chown", "-R", $"{sshd.UserName}:{sshd.UserName}", _server).ExitCode);
    }

    private string Target => Path.Combine(_server, "restore", "site");
    private string Outside => Path.Combine(_server, "outside");
    private string Secret => Path.Combine(Outside, "secret");

    private Action<TarWriter> Hostile(string kind) => kind switch
    {
        "climbing" => CraftedArchive.Named("files/../../outside/evil.php"),
        "absolute" => CraftedArchive.Named(Outside + "/evil.php"),
        "through a link" => CraftedArchive.ThroughLink(Outside),
        "hard link" => CraftedArchive.HardLinkTo(Secret),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [InlineData("climbing", "UnsafeEntry", false)]
    [InlineData("absolute", "UnexpectedEntry", true)]
    [InlineData("through a link", "UnsafeEntry", false)]
    [InlineData("hard link", "UnsafeEntry", true)]
    public void A_hostile_archive_is_refused_before_its_entry_reaches_the_server(string kind, string errorId, bool targetExists)
    {
        if (targetExists)
        {
            Directory.CreateDirectory(Target);
            File.WriteAllText(Path.Combine(Target, "keep.txt"), "mine");
            Assert.Equal(0, Processes.Run("chown", "-R", $"{_sshd.UserName}:{_sshd.UserName}", Target).ExitCode);
        }
        var archive = CraftedArchive.Write(_local.Combine("crafted.tar.zst"), Target, Hostile(kind)).Path;

        var result = _ps.Run($"Restore-WpBackup -Path $a -Target $t {_sshd.Connection(_sshd.NewKnownHostsFile())} -Confirm:$false",
            new Dictionary<string, object?> { ["a"] = archive, ["t"] = Target });

        var error = Assert.Single(result.Errors);
        Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Empty(result.Output);
        Assert.Equal(["secret"], Directory.GetFileSystemEntries(Outside).Select(Path.GetFileName));
        Assert.Equal("do not copy", File.ReadAllText(Secret));
        Assert.Equal("1", Processes.Run("stat", "-c", "%h", Secret).Stdout.Trim()); // no second name was made for it
        if (targetExists)
        {
            Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(Target).Select(Path.GetFileName));
            Assert.Equal("mine", File.ReadAllText(Path.Combine(Target, "keep.txt")));
        }
        else
            Assert.False(Directory.Exists(Target), "the target must not be created from a refused archive");
        // No staging folder (".site.wpbackup-restore-…") is left beside the target, and no option file in the server's temp folder.
        string[] besideTarget = targetExists ? ["site"] : [];
        Assert.Equal(besideTarget, Directory.GetFileSystemEntries(Path.Combine(_server, "restore")).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles("/tmp", "wpbackup.*"));
        Assert.DoesNotContain(Directory.EnumerateFiles(_server, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(CraftedArchive.Payload));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _local.Dispose();
        Directory.Delete(_server, recursive: true);
    }
}
