using WpBackup.Core.Retention;
using static WpBackup.Tests.Retention.Synthetic;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Retention;

/// <summary>Incremental chains (Parent): a backup that stays keeps everything it needs, whatever the rules say.</summary>
public sealed class RetentionChainTests
{
    private static readonly DateTime Now = Utc("2026-11-25 03:00");

    /// <summary>F1 &lt;- I1 &lt;- I2, then F2 &lt;- J1 &lt;- J2 (J2 the newest).</summary>
    private static List<BackupInfo> TwoChains() =>
    [
        Backup(Utc("2026-01-01 02:00"), id: "F1"),
        Backup(Utc("2026-01-02 02:00"), id: "I1", parent: "F1"),
        Backup(Utc("2026-01-03 02:00"), id: "I2", parent: "I1"),
        Backup(Utc("2026-01-10 02:00"), id: "F2"),
        Backup(Utc("2026-01-11 02:00"), id: "J1", parent: "F2"),
        Backup(Utc("2026-01-12 02:00"), id: "J2", parent: "J1"),
    ];

    private static RetentionPolicy Daily(int n) => new() { KeepDaily = n, TimeZone = TimeZoneInfo.Utc };

    [Fact]
    public void A_kept_incremental_keeps_its_parent_and_grandparent_and_a_chain_nobody_needs_goes_whole()
    {
        var plan = RetentionPlanner.Plan(TwoChains(), Daily(1), Now);
        Assert.Equal(
        [
            "a.example/J2: keep: keep-daily 2026-01-12 (1 of 1); newest backup of its site (kept unless -Force)",
            "a.example/J1: keep: parent of J2 (kept by keep-daily; newest of its site)",
            "a.example/F2: keep: parent of J1, which J2 needs (kept by keep-daily; newest of its site)",
            "a.example/I2: remove: kept by none of keep-daily 1",
            "a.example/I1: remove: kept by none of keep-daily 1",
            "a.example/F1: remove: kept by none of keep-daily 1",
        ], plan.Decisions.Select(d => d.ToString()));
        var grandparent = plan.Decisions[2].Reasons.Single();
        Assert.Equal(RetentionRule.ParentOfKept, grandparent.Rule);
        Assert.Equal("J1", grandparent.Child!.Id);
        Assert.Equal("J2", grandparent.KeptDescendant!.Id);
    }

    [Fact]
    public void A_rule_that_keeps_the_end_of_an_older_chain_keeps_all_of_it_and_names_every_reason()
    {
        // keep-daily 4 reaches back to I2 (2026-01-03); I1 and F1 stay for it.
        var daily = RetentionPlanner.Plan(TwoChains(), Daily(4), Now);
        Assert.All(daily.Decisions, d => Assert.True(d.Keep));
        Assert.Equal("keep: parent of I2 (kept by keep-daily)", daily.Decisions.Single(d => d.Backup.Id == "I1").Summary);
        Assert.Equal("keep: parent of I1, which I2 needs (kept by keep-daily)", daily.Decisions.Single(d => d.Backup.Id == "F1").Summary);

        // keep-last 5 keeps I1 itself, and I1 is also I2's parent: both reasons are given.
        var last = RetentionPlanner.Plan(TwoChains(), new RetentionPolicy { KeepLast = 5 }, Now);
        Assert.Equal("keep: keep-last (5 of 5); parent of I2 (kept by keep-last)", last.Decisions.Single(d => d.Backup.Id == "I1").Summary);
        Assert.Equal("keep: parent of I1, which I2 needs (kept by keep-last)", last.Decisions.Single(d => d.Backup.Id == "F1").Summary);
    }

    [Fact]
    public void Backups_that_are_not_candidates_stay_and_keep_their_parents_even_with_Force()
    {
        var all = new List<BackupInfo>
        {
            Backup(Utc("2026-01-01 02:00"), id: "F1"),
            Backup(Utc("2026-01-02 02:00"), id: "I1", parent: "F1"),
            Backup(Utc("2026-01-05 02:00"), id: "F2"),
            Backup(Utc("2026-01-08 02:00"), id: "F3"),
        };
        var fulls = all.Where(b => b.Parent is null).ToList(); // Get-WpBackup | Where-Object { -not $_.Parent } | Remove-WpBackup -Force

        var forced = RetentionPlanner.Plan(fulls, new RetentionPolicy { Force = true }, Now, all);
        Assert.Equal(
        [
            "a.example/F3: remove: no keep rule (-Force)",
            "a.example/F2: remove: no keep rule (-Force)",
            "a.example/F1: keep: parent of I1 (kept: not selected for removal)",
        ], forced.Decisions.Select(d => d.ToString()));

        var unforced = RetentionPlanner.Plan(fulls, new RetentionPolicy(), Now, all);
        Assert.Equal(["F2"], unforced.Removed.Select(d => d.Backup.Id));
    }

    [Fact]
    public void Force_removes_the_newest_only_when_nothing_that_stays_needs_it()
    {
        var chain = TwoChains();
        var plan = RetentionPlanner.Plan(chain, new RetentionPolicy { KeepLast = 1, Force = true }, Now);
        Assert.Equal(["F2", "J1", "J2"], plan.Kept.Select(d => d.Backup.Id).Order());
        Assert.Equal("keep: parent of J2 (kept by keep-last)", plan.Decisions.Single(d => d.Backup.Id == "J1").Summary);

        // Force and -OlderThan 1 day at 2026-01-12 12:00: J2 is younger, so it stays, and so does its chain.
        var young = RetentionPlanner.Plan(chain, new RetentionPolicy { OlderThan = TimeSpan.FromDays(1), Force = true }, Utc("2026-01-12 12:00"));
        Assert.Equal(["F2", "J1", "J2"], young.Kept.Select(d => d.Backup.Id).Order());
        Assert.Equal("keep: parent of J1, which J2 needs (kept: younger than -OlderThan)", young.Decisions.Single(d => d.Backup.Id == "F2").Summary);
    }

    [Fact]
    public void A_missing_parent_is_a_warning_and_a_loop_ends()
    {
        var backups = new List<BackupInfo>
        {
            Backup(Utc("2026-01-01 02:00"), id: "A", parent: "B"),
            Backup(Utc("2026-01-02 02:00"), id: "B", parent: "A"),
            Backup(Utc("2026-01-03 02:00"), id: "C", parent: "gone"),
        };
        var plan = RetentionPlanner.Plan(backups, new RetentionPolicy { KeepLast = 3 }, Now);
        Assert.All(plan.Decisions, d => Assert.True(d.Keep));
        Assert.Contains(plan.Warnings, w => w.StartsWith("a.example/C: its parent gone is not in /backups/a.example", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("loops back", StringComparison.Ordinal));

        var none = RetentionPlanner.Plan(backups.Take(2), new RetentionPolicy { Force = true }, Now);
        Assert.All(none.Decisions, d => Assert.False(d.Keep));
    }

    [Fact]
    public void Decisions_put_every_backup_before_its_parent_even_when_clocks_disagree()
    {
        // P was written with a clock ahead of C's, though C is P's child.
        var backups = new List<BackupInfo>
        {
            Backup(Utc("2026-01-05 02:00"), id: "P"),
            Backup(Utc("2026-01-04 02:00"), id: "C", parent: "P"),
            Backup(Utc("2026-01-03 02:00"), id: "X"),
        };
        var plan = RetentionPlanner.Plan(backups, new RetentionPolicy { Force = true }, Now);
        Assert.Equal(["C", "P", "X"], plan.Decisions.Select(d => d.Backup.Id));
        var removed = new List<string>();
        plan.Apply(new Recorder(_ => RemovalConsent.Remove), b => removed.Add(b.Id));
        Assert.Equal(["C", "P", "X"], removed);
    }

    [Fact]
    public void Applying_never_removes_a_parent_whose_child_stays_after_a_decline_or_a_failure()
    {
        var chain = TwoChains();
        var plan = RetentionPlanner.Plan(chain, new RetentionPolicy { KeepLast = 1 }, Now);

        // Declined at the prompt: I2 stays, so I1 and F1 stay with it.
        var declined = new Recorder(d => d.Backup.Id == "I2" ? RemovalConsent.Skip : RemovalConsent.Remove);
        var removed = new List<string>();
        plan.Apply(declined, b => removed.Add(b.Id));
        Assert.Empty(removed);
        Assert.Equal(["held I1 for I2", "held F1 for I1"], declined.Events.Where(e => e.StartsWith("held", StringComparison.Ordinal)));
        Assert.Equal(["kept J2", "kept J1", "kept F2"], declined.Events.Where(e => e.StartsWith("kept", StringComparison.Ordinal)));

        // Removing I2 fails: the same.
        var failing = new Recorder(_ => RemovalConsent.Remove);
        plan.Apply(failing, b => { if (b.Id == "I2") throw new IOException("disk on fire"); removed.Add(b.Id); });
        Assert.Empty(removed);
        Assert.Contains("failed I2: disk on fire", failing.Events);
        Assert.Contains("held F1 for I1", failing.Events);

        // -WhatIf removes nothing but reports the whole chain as what would go.
        var whatIf = new Recorder(_ => RemovalConsent.WhatIf);
        plan.Apply(whatIf, b => removed.Add(b.Id));
        Assert.Empty(removed);
        Assert.Equal(["confirm I2", "confirm I1", "confirm F1"], whatIf.Events.Where(e => e.StartsWith("confirm", StringComparison.Ordinal)));
    }

    private sealed class Recorder(Func<RetentionDecision, RemovalConsent> answer) : IRetentionHandler
    {
        public List<string> Events { get; } = [];
        public void Kept(RetentionDecision decision) => Events.Add($"kept {decision.Backup.Id}");
        public RemovalConsent Confirm(RetentionDecision decision)
        {
            Events.Add($"confirm {decision.Backup.Id}");
            return answer(decision);
        }
        public void Removed(RetentionDecision decision) => Events.Add($"removed {decision.Backup.Id}");
        public void Held(RetentionDecision decision, BackupInfo child) => Events.Add($"held {decision.Backup.Id} for {child.Id}");
        public void Failed(RetentionDecision decision, Exception error) => Events.Add($"failed {decision.Backup.Id}: {error.Message}");
    }
}
