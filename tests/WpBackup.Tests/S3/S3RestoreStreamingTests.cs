using WpBackup.Sandbox;
using WpBackup.Tests.Crypto;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;
using Xunit.Abstractions;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.S3;

/// <summary>
/// Restore-WpBackup of a bucket backup reads the archive object as a stream: no copy of it is staged in the
/// temp folder. The restore runs in a wpbackup process of its own whose TMPDIR is a fresh folder; at every
/// verbose line (written on the thread that does the restore, so the engine is paused there) the script lists
/// that folder and the files the process holds open in it, deleted ones too.
/// </summary>
[Collection("s3")]
public sealed class S3RestoreStreamingTests(S3Fixture s3, MariaDbFixture db, ITestOutputHelper output) : IClassFixture<MariaDbFixture>, IDisposable
{
    /// <summary>Anything but the staged dump must stay below this (option files for the database client are a few hundred bytes).</summary>
    private const long Small = 64 * 1024;

    private readonly PowerShellSession _ps = new();

    /// <summary>Lists what is in $env:TMPDIR ("FILE size path") and what the process holds open there ("OPEN size path").</summary>
    private const string Sampler = """
        $temp = $env:TMPDIR.TrimEnd('/')
        function Sample([string] $at) {
            "SAMPLE $at"
            foreach ($f in [System.IO.Directory]::GetFiles($temp, '*', [System.IO.SearchOption]::AllDirectories)) { "FILE $([System.IO.FileInfo]::new($f).Length) $f" }
            foreach ($fd in [System.IO.Directory]::GetFileSystemEntries('/proc/self/fd')) {
                $target = [System.IO.FileInfo]::new($fd).LinkTarget
                if ($target -and $target.StartsWith("$temp/")) {
                    $handle = [System.IO.File]::OpenHandle($fd)
                    try { "OPEN $([System.IO.RandomAccess]::GetLength($handle)) $target" } finally { $handle.Dispose() }
                }
            }
        }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_full_restore_from_a_bucket_stages_only_the_dump_in_the_temp_folder(bool encrypted)
    {
        var location = s3.NewLocation();
        var host = encrypted ? "sealedstream.example" : "stream.example";
        var site = WordPressSiteBuilder.Build(Path.Combine(db.NewDirectory("www"), host, "htdocs"), db.Server, new SiteOptions { HostName = host, PostCount = 20 });
        File.WriteAllBytes(Path.Combine(site.Root, "wp-content", "uploads", "video.bin"), S3TestData.Random(8_000_000, seed: 21));
        var key = Path.Combine(db.NewDirectory("key"), "key.txt");
        var vars = s3.CmdletVariables(location, ("p", site.Root), ("r", encrypted ? AgeCli.KeyGen(key) : null));
        var backup = _ps.Run($"New-WpBackup -Path $p -Type Full -Destination $bucket {S3Fixture.CmdletParameters} {(encrypted ? "-Encrypt -Recipient $r" : "")}", vars)
            .ShouldSucceed().Single<BackupInfo>();
        var files = TreeSnapshot.Take(site.Root);
        var tables = DatabaseState.Take(db.Server, site.DatabaseName);
        Directory.Delete(site.Root, recursive: true);
        db.Server.DropDatabase(site.DatabaseName);
        var temp = db.NewDirectory("tmp");

        var script = Sampler + $$"""

            $backup = Get-WpBackup -Destination '{{vars["bucket"]}}' -S3Endpoint '{{s3.Endpoint}}' -ErrorAction Stop
            Restore-WpBackup -Backup $backup -Confirm:$false -Verbose -ErrorAction Stop {{(encrypted ? $"-IdentityFile '{key}'" : "")}} 4>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.VerboseRecord]) { Sample $_.Message } else { "RESTORED $($_.FilesRestored) files, database $($_.Database)" }
            }
            Sample 'after the restore'
            """;
        // The key for s3rver comes from the test's shared credentials file (profile [wpbackup]), not the command line.
        using var process = ShellProcess.StartWith(new Dictionary<string, string> { ["TMPDIR"] = temp, ["AWS_PROFILE"] = "wpbackup" }, "-NonInteractive", "-Command", script);
        var run = await ShellProcess.FinishAsync(process, "Restore-WpBackup");
        output.WriteLine(run.StdOut);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"RESTORED {backup.FileCount} files, database {site.DatabaseName}", run.StdOut);
        Assert.Equal(files, TreeSnapshot.Take(site.Root));
        Assert.Equal(tables, DatabaseState.Take(db.Server, site.DatabaseName));

        var samples = Samples(run.StdOut);
        Assert.True(backup.Size > 8_000_000, $"archive of {backup.Size:N0} bytes");
        var dumpSize = backup.DatabaseSize!.Value;
        Assert.InRange(dumpSize, 1, backup.Size / 4);
        foreach (var (at, seen) in samples)
        {
            foreach (var (size, path) in seen)
                Assert.True(size < Small || (path.EndsWith("/database.sql", StringComparison.Ordinal) && size <= dumpSize),
                    $"at '{at}': {path} ({size:N0} bytes) in the temp folder; the archive is {backup.Size:N0} bytes");
            Assert.True(seen.Sum(s => s.Size) < backup.Size / 2, $"at '{at}': {seen.Sum(s => s.Size):N0} bytes in the temp folder");
        }
        // Once the whole archive is read and checked, the dump waits there to be loaded: the sampler does see the engine's temp files.
        var verified = Assert.Single(samples, s => s.At.Contains("entries verified; putting them in place", StringComparison.Ordinal));
        Assert.Contains(verified.Seen, s => s.Path.StartsWith($"{temp}/wpbackup-restore-", StringComparison.Ordinal) &&
                                            s.Path.EndsWith("/database.sql", StringComparison.Ordinal) && s.Size == dumpSize);
        // Afterwards only what the runtime itself keeps there (its diagnostics sockets, empty) is left, as before the restore began.
        Assert.StartsWith("Performing the operation", samples[0].At, StringComparison.Ordinal);
        Assert.Equal(samples[0].Seen.Order(), samples[^1].Seen.Order());
        Assert.All(samples[0].Seen, s => Assert.Equal(0, s.Size));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(temp), e => Path.GetFileName(e).StartsWith("wpbackup", StringComparison.Ordinal));
    }

    /// <summary>The sampler's lines: for each sample, the verbose line it was taken at and the files (listed or open) in the temp folder.</summary>
    private static List<(string At, List<(long Size, string Path)> Seen)> Samples(string stdout)
    {
        var samples = new List<(string At, List<(long Size, string Path)> Seen)>();
        foreach (var line in stdout.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("SAMPLE ", StringComparison.Ordinal))
                samples.Add((line["SAMPLE ".Length..], []));
            else if (line.StartsWith("FILE ", StringComparison.Ordinal) || line.StartsWith("OPEN ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 3);
                if (!samples[^1].Seen.Any(s => s.Path == parts[2])) // a file both listed and open counts once
                    samples[^1].Seen.Add((long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]));
            }
        }
        Assert.True(samples.Count >= 4, $"{samples.Count} samples in:\n{stdout}");
        return samples;
    }

    public void Dispose() => _ps.Dispose();
}
