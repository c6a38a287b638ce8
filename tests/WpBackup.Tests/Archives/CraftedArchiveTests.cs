using System.Formats.Tar;
using System.Text;
using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;
using WpBackup.Core.Operations;
using WpBackup.Core.Reporting;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Archives;

/// <summary>Archives made by hand to attack the restore: nothing may be written outside the target.</summary>
public sealed class CraftedArchiveTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Target => _temp.Combine("restore", "site");
    private string Outside => _temp.Combine("outside");

    /// <param name="sidecar">When given, a sidecar is written beside the archive: the truth about it, then this edit.</param>
    private WpBackup.Core.WpBackup Craft(Action<TarWriter> entries, List<ManifestFile>? files = null, Action<BackupManifest>? sidecar = null) =>
        CraftedArchive.Write(_temp.Combine("crafted.tar.zst"), Target, entries, files, sidecar);

    private static PaxTarEntry File(string name, string content) => CraftedArchive.File(name, content);

    private static readonly DateTimeOffset Modified = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A file entry as WpBackup writes one: mode 0644 and <see cref="Modified"/>, matching <see cref="Listed"/>.</summary>
    private static PaxTarEntry ListedFile(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), ModificationTime = Modified, Mode = (UnixFileMode)0b110_100_100 };

    /// <summary>The manifest's line for a file written by <see cref="ListedFile"/>.</summary>
    private static ManifestFile Listed(string path, string content) => new()
    {
        Path = path, Type = ManifestEntryType.File, Size = Encoding.UTF8.GetByteCount(content), Mode = "0644", Modified = Modified,
        Sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content))).ToLowerInvariant(),
    };

    private static ManifestFile ListedFolder(string path) => new() { Path = path, Type = ManifestEntryType.Directory, Mode = "0755" };

    private WpBackupException Restore(WpBackup.Core.WpBackup backup) =>
        Assert.ThrowsAny<WpBackupException>(() => new RestoreRunner(NullReporter.Instance).Run(RestoreRunner.Plan(new RestoreRequest { Backup = backup, Target = Target })));

    private void AssertNothingEscaped()
    {
        Assert.False(Directory.Exists(Target), "the target must not be created from a refused archive");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Outside));
        Assert.Empty(Directory.EnumerateDirectories(_temp.Combine("restore")));
    }

    public CraftedArchiveTests()
    {
        Directory.CreateDirectory(Outside);
        Directory.CreateDirectory(_temp.Combine("restore"));
    }

    [Theory]
    [InlineData("files/../../outside/evil.php")]
    [InlineData("files/wp-content/../../../outside/evil.php")]
    [InlineData("files//etc/evil.php")]
    [InlineData("files/./evil.php")]
    public void Entries_that_climb_out_are_refused(string name)
    {
        var error = Restore(Craft(CraftedArchive.Named(name)));
        Assert.Equal("UnsafeEntry", error.ErrorId);
        Assert.Contains("escape", error.Message);
        AssertNothingEscaped();
    }

    [Fact]
    public void Absolute_entries_are_not_site_entries_and_are_refused()
    {
        var error = Restore(Craft(CraftedArchive.Named(Outside + "/evil.php")));
        Assert.Equal("UnexpectedEntry", error.ErrorId);
        AssertNothingEscaped();
    }

    [Fact]
    public void Nothing_is_written_through_a_link_from_the_same_archive()
    {
        var error = Restore(Craft(CraftedArchive.ThroughLink(Outside)));
        Assert.Equal("UnsafeEntry", error.ErrorId);
        Assert.Contains("through the link", error.Message);
        AssertNothingEscaped();
    }

    [Fact]
    public void An_entry_that_goes_through_a_link_and_climbs_out_of_it_is_refused()
    {
        // link/.. is the folder above the link's target: here Outside, though the name looks like files/x.
        var deep = Directory.CreateDirectory(System.IO.Path.Combine(Outside, "deep")).FullName;
        var error = Restore(Craft(tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "files/link") { LinkName = deep });
            tar.WriteEntry(File("files/link/../x", "<?php evil();"));
        }));
        Assert.Equal("UnsafeEntry", error.ErrorId);
        Assert.Contains("link/../x", error.Message);
        Assert.False(Directory.Exists(Target), "the target must not be created from a refused archive");
        Assert.Equal([deep], Directory.EnumerateFileSystemEntries(Outside));
        Assert.Empty(Directory.EnumerateFileSystemEntries(deep));
        Assert.Empty(Directory.EnumerateDirectories(_temp.Combine("restore")));
    }

    [Fact]
    public void A_hard_link_to_something_outside_the_restore_is_refused()
    {
        var secret = System.IO.Path.Combine(Outside, "secret");
        System.IO.File.WriteAllText(secret, "do not copy");
        var error = Restore(Craft(CraftedArchive.HardLinkTo(secret)));
        Assert.Equal("UnsafeEntry", error.ErrorId);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void A_hard_link_to_a_file_of_the_same_restore_is_restored_as_a_hard_link()
    {
        const string content = "<?php // one file, two names";
        var backup = Craft(tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "files/wp-content/"));
            tar.WriteEntry(ListedFile("files/wp-content/a.php", content));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "files/b.php") { LinkName = "files/wp-content/a.php" });
        },
        [ListedFolder(""), ListedFolder("wp-content"), Listed("wp-content/a.php", content), Listed("b.php", content)]);

        new RestoreRunner(NullReporter.Instance).Run(RestoreRunner.Plan(new RestoreRequest { Backup = backup, Target = Target }));

        var first = System.IO.Path.Combine(Target, "wp-content", "a.php");
        var second = System.IO.Path.Combine(Target, "b.php");
        Assert.Equal(content, System.IO.File.ReadAllText(second));
        var (exit, stat, error) = Processes.Run("stat", "-c", "%i %h", first, second);
        Assert.True(exit == 0, error);
        var lines = stat.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(lines[0], lines[1]); // same inode
        Assert.EndsWith(" 2", lines[0]); // and two names for it
        Assert.Empty(Directory.EnumerateFileSystemEntries(Outside));
    }

    [Fact]
    public void Duplicate_entries_are_refused()
    {
        var error = Restore(Craft(tar =>
        {
            tar.WriteEntry(File("files/index.php", "one"));
            tar.WriteEntry(File("files/index.php", "two"));
        }));
        Assert.Equal("DuplicateEntry", error.ErrorId);
        AssertNothingEscaped();
    }

    [Fact]
    public void Content_the_manifest_does_not_list_is_refused_before_the_target_is_touched()
    {
        Directory.CreateDirectory(Target);
        System.IO.File.WriteAllText(System.IO.Path.Combine(Target, "keep.txt"), "mine");
        var error = Restore(Craft(tar => tar.WriteEntry(File("files/extra.php", "not in the manifest"))));
        Assert.Equal("ArchiveMismatch", error.ErrorId);
        Assert.Contains("extra.php", error.Message);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(Target).Select(System.IO.Path.GetFileName));
    }

    /// <summary>A whole, self-consistent archive of one file, with a sidecar that tells the truth and then <paramref name="lie"/>.</summary>
    private WpBackup.Core.WpBackup OneFileBackup(Action<BackupManifest> lie) =>
        Craft(tar => tar.WriteEntry(ListedFile("files/index.php", "<?php // the site")), [ListedFolder(""), Listed("index.php", "<?php // the site")], lie);

    private void PutSomethingAtTheTarget()
    {
        Directory.CreateDirectory(Target);
        System.IO.File.WriteAllText(System.IO.Path.Combine(Target, "keep.txt"), "mine");
    }

    [Fact]
    public void An_archive_whose_sidecar_tells_the_truth_is_restored()
    {
        PutSomethingAtTheTarget();
        new RestoreRunner(NullReporter.Instance).Run(RestoreRunner.Plan(new RestoreRequest { Backup = OneFileBackup(_ => { }), Target = Target }));
        Assert.Equal(["index.php"], Directory.GetFileSystemEntries(Target).Select(System.IO.Path.GetFileName));
    }

    [Theory]
    [InlineData("size")]
    [InlineData("sha256")]
    public void An_archive_whose_sidecar_lies_about_it_is_refused_before_the_target_is_touched(string lie)
    {
        PutSomethingAtTheTarget();
        var backup = OneFileBackup(sidecar =>
        {
            if (lie == "size")
                sidecar.ArchiveSize += 1;
            else
                sidecar.ArchiveSha256 = new string('0', 64);
        });
        var error = Restore(backup);
        Assert.Equal("ArchiveMismatch", error.ErrorId);
        Assert.Contains("sidecar", error.Message);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(Target).Select(System.IO.Path.GetFileName));
        Assert.Equal("mine", System.IO.File.ReadAllText(System.IO.Path.Combine(Target, "keep.txt")));
        Assert.Equal([Target], Directory.EnumerateDirectories(_temp.Combine("restore")));
    }

    public void Dispose() => _temp.Dispose();
}
