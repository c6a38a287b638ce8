using WpBackup.Core;
using WpBackup.Core.Archives;
using WpBackup.Tests.Retention;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Cmdlets;

/// <summary>
/// Remove-WpBackup with retention policies, through the real engine, on real backup files: one
/// real backup of a WordPress-shaped folder, copied to the calendar of docs/retention.md's worked
/// example (sidecars rewritten with its times and Parent chains).
/// </summary>
public sealed class RetentionCmdletTests : IDisposable
{
    private const string Policy = "-KeepDaily 3 -KeepWeekly 2 -KeepMonthly 2 -TimeZone Europe/Berlin";

    // a..h of the worked example; in Europe/Berlin the policy removes b and f.
    private const string A = "2026-09-28_01-00-00", B = "2026-10-05_01-00-00", C = "2026-10-19_01-00-00", D = "2026-10-22_01-00-00",
        E = "2026-10-24_01-00-00", F = "2026-10-24_22-30-00", G = "2026-10-25_22-30-00", H = "2026-10-26_02-00-00";

    private readonly TempFolder _temp = new();
    private readonly PowerShellSession _ps = new();
    private readonly string _dest;

    public RetentionCmdletTests() => _dest = MakeCalendar();

    private string SiteFolder => Path.Combine(_dest, "example.com");

    private Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) =>
        values.Append(("d", _dest)).ToDictionary(v => v.Item1, v => v.Item2);

    private string MakeCalendar()
    {
        var root = MiniSite.Create(_temp.Combine("www", "example.com", "htdocs"));
        var dest = _temp.Combine("backups");
        var original = _ps.Run("New-WpBackup -Path $p -Type Files -Destination $d", new Dictionary<string, object?> { ["p"] = root, ["d"] = dest })
            .ShouldSucceed().Single<BackupInfo>();
        var manifest = BackupManifest.FromJson(File.ReadAllBytes(original.SidecarPath));
        foreach (var backup in RetentionPlannerTests.DocsCalendar())
        {
            var archive = Path.Combine(dest, "example.com", backup.Id + ArchiveLayout.ArchiveExtension);
            File.Copy(original.Path, archive);
            manifest.Id = backup.Id;
            manifest.Created = new DateTimeOffset(backup.Created);
            manifest.Parent = backup.Parent;
            manifest.Archive = Path.GetFileName(archive);
            File.WriteAllBytes(BackupCatalog.SidecarPathFor(archive), manifest.ToJson());
        }
        BackupCatalog.Remove(original);
        return dest;
    }

    private string[] Files() => Directory.GetFiles(SiteFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static string[] FilesOf(params string[] ids) =>
        ids.SelectMany(id => new[] { id + ArchiveLayout.ArchiveExtension, id + ArchiveLayout.SidecarExtension }).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every backup left has its archive, its sidecar, and the whole Parent chain it needs.</summary>
    private void AssertNoOrphans()
    {
        var left = new BackupCatalog(_dest).List();
        Assert.Equal(FilesOf(left.Select(b => b.Id).ToArray()), Files());
        var ids = left.Select(b => b.Id).ToHashSet();
        Assert.All(left, b => Assert.True(b.Parent is null || ids.Contains(b.Parent), $"{b} lost its parent {b.Parent}"));
    }

    [Fact]
    public async Task WhatIf_lists_every_backup_with_keep_or_remove_and_the_rules_and_removes_nothing()
    {
        var before = Files();
        var result = await ShellProcess.CommandAsync($"Remove-WpBackup -Site example.com -Destination '{_dest}' {Policy} -WhatIf");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(8, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("What if: ", l));

        string Line(string id) => Assert.Single(lines, l => l.Contains($"example.com/{id} ", StringComparison.Ordinal));
        Assert.StartsWith($"What if: Keep example.com/{H} (", Line(H));
        Assert.EndsWith(", 2026-10-26 03:00:00 +01:00): keep-daily 2026-10-26 (1 of 3); keep-weekly 2026-W44 (1 of 2); keep-monthly 2026-10 (1 of 2); newest backup of its site (kept unless -Force)", Line(H));
        Assert.EndsWith(": keep-daily 2026-10-24 (3 of 3)", Line(E));
        Assert.EndsWith($": parent of {E} (kept by keep-daily)", Line(D));
        Assert.EndsWith($": parent of {D}, which {E} needs (kept by keep-daily)", Line(C));
        Assert.StartsWith($"What if: Remove example.com/{F} (", Line(F));
        Assert.EndsWith(", 2026-10-25 00:30:00 +02:00): kept by none of keep-daily 3, keep-weekly 2, keep-monthly 2", Line(F));
        Assert.StartsWith($"What if: Remove example.com/{B} (", Line(B));
        Assert.Equal(6, lines.Count(l => l.StartsWith("What if: Keep ", StringComparison.Ordinal)));
        Assert.Equal(before, Files());

        // The same through the hosted engine: nothing is emitted, nothing removed.
        var hosted = _ps.Run($"Get-WpBackup -Destination $d | Remove-WpBackup {Policy} -WhatIf", Vars()).ShouldSucceed();
        Assert.Empty(hosted.Output);
        Assert.Equal(before, Files());
    }

    [Fact]
    public void Removal_writes_one_verbose_line_per_backup_emits_nothing_and_leaves_no_orphan()
    {
        var result = _ps.Run($"Remove-WpBackup -Site example.com -Destination $d {Policy} -Verbose", Vars()).ShouldSucceed();
        Assert.Empty(result.Output);
        Assert.Equal("Retention policy: keep-daily 3, keep-weekly 2, keep-monthly 2 (buckets in Europe/Berlin)", result.Verbose[0]);
        var decisions = result.Verbose.Skip(1).ToList();
        Assert.Equal(8, decisions.Count);
        foreach (var id in new[] { A, C, D, E, G, H })
            Assert.Single(decisions, v => v.StartsWith($"Keep example.com/{id} ", StringComparison.Ordinal));
        foreach (var id in new[] { B, F })
            Assert.Single(decisions, v => v.StartsWith($"Remove example.com/{id} ", StringComparison.Ordinal));

        Assert.Equal(FilesOf(A, C, D, E, G, H), Files());
        AssertNoOrphans();

        // Applying the same policy again changes nothing.
        _ps.Run($"Remove-WpBackup -Site example.com -Destination $d {Policy}", Vars()).ShouldSucceed();
        Assert.Equal(FilesOf(A, C, D, E, G, H), Files());
    }

    [Fact]
    public void The_time_zone_decides_the_days_and_takes_a_TimeZoneInfo_too()
    {
        // In UTC, f is the newest backup of 2026-10-24, so it stays, and e, d, c with it.
        _ps.Run("Get-WpBackup -Destination $d | Remove-WpBackup -KeepDaily 3 -KeepWeekly 2 -KeepMonthly 2 -TimeZone ([System.TimeZoneInfo]::Utc)", Vars()).ShouldSucceed();
        Assert.Equal(FilesOf(A, C, D, E, F, G, H), Files());
        AssertNoOrphans();
    }

    [Fact]
    public void Removing_full_backups_with_Force_never_orphans_the_incrementals_that_stay()
    {
        var result = _ps.Run("Get-WpBackup -Destination $d | Where-Object { -not $_.Parent } | Remove-WpBackup -Force -Verbose", Vars()).ShouldSucceed();
        Assert.Equal(FilesOf(C, D, E, F, G, H), Files());
        Assert.Contains(result.Verbose, v => v.StartsWith($"Keep example.com/{C} ", StringComparison.Ordinal) && v.EndsWith($": parent of {D}, which {F} needs (kept: not selected for removal)", StringComparison.Ordinal));
        AssertNoOrphans();

        // With -Force and no rule every chain goes, children first.
        _ps.Run("Remove-WpBackup -Site example.com -Destination $d -Force", Vars()).ShouldSucceed();
        Assert.Empty(Files());
    }

    [Fact]
    public void OlderThan_keeps_what_is_younger_whatever_the_other_rules_say()
    {
        var result = _ps.Run("Remove-WpBackup -Site example.com -Destination $d -KeepLast 1 -OlderThan 36500 -Force -Verbose", Vars()).ShouldSucceed();
        Assert.Equal(FilesOf(A, B, C, D, E, F, G, H), Files());
        Assert.Contains(result.Verbose, v => v.StartsWith($"Keep example.com/{B} ", StringComparison.Ordinal) && v.EndsWith(": younger than -OlderThan 36500 days", StringComparison.Ordinal));
    }

    [Fact]
    public void A_policy_is_required_with_Site_and_bad_values_are_refused()
    {
        var missing = _ps.Run("Remove-WpBackup -Site example.com -Destination $d", Vars());
        Assert.StartsWith("RemovalPolicyMissing", Assert.Single(missing.Errors).FullyQualifiedErrorId);

        var zero = _ps.Run("Remove-WpBackup -Site example.com -Destination $d -KeepDaily 0", Vars());
        Assert.StartsWith("ParameterArgumentValidationError", Assert.Single(zero.Errors).FullyQualifiedErrorId);

        var zone = _ps.Run("Remove-WpBackup -Site example.com -Destination $d -KeepDaily 1 -TimeZone Mars/Olympus_Mons", Vars());
        var error = Assert.Single(zone.Errors);
        Assert.StartsWith("ParameterArgumentTransformationError", error.FullyQualifiedErrorId);
        Assert.Contains("Unknown time zone 'Mars/Olympus_Mons'", error.Exception.Message);

        Assert.Equal(FilesOf(A, B, C, D, E, F, G, H), Files());
    }

    public void Dispose()
    {
        _ps.Dispose();
        _temp.Dispose();
    }
}
