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

    private WpBackup.Core.WpBackup Craft(Action<TarWriter> entries, List<ManifestFile>? files = null) =>
        CraftedArchive.Write(_temp.Combine("crafted.tar.zst"), Target, entries, files);

    private static PaxTarEntry File(string name, string content) => CraftedArchive.File(name, content);

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
        var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content))).ToLowerInvariant();
        var modified = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        ManifestFile Listed(string path) => new() { Path = path, Type = ManifestEntryType.File, Size = content.Length, Mode = "0644", Modified = modified, Sha256 = sha };
        var backup = Craft(tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "files/wp-content/"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "files/wp-content/a.php")
                { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), ModificationTime = modified, Mode = (UnixFileMode)0b110_100_100 });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "files/b.php") { LinkName = "files/wp-content/a.php" });
        },
        [
            new ManifestFile { Path = "", Type = ManifestEntryType.Directory, Mode = "0755" },
            new ManifestFile { Path = "wp-content", Type = ManifestEntryType.Directory, Mode = "0755" },
            Listed("wp-content/a.php"),
            Listed("b.php"),
        ]);

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

    public void Dispose() => _temp.Dispose();
}
