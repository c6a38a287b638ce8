using WpBackup.Sandbox;
using WpBackup.Tests.Sandbox;
using WpBackup.Tests.Support;
using BackupInfo = WpBackup.Core.WpBackup;

namespace WpBackup.Tests.Verification;

/// <summary>
/// One real WordPress site (built by WordPress's own installer on the fixture's MariaDB) and a
/// Full backup of it made by New-WpBackup, shared by the verification tests, which copy the
/// backup before damaging it. Built on first use; lives in the fixture's folder.
/// </summary>
public sealed class ReferenceBackup
{
    private static readonly object Gate = new();
    private static (MariaDbFixture Fixture, ReferenceBackup Reference)? _built;

    private ReferenceBackup(DemoSite site, BackupInfo backup)
    {
        Site = site;
        Backup = backup;
    }

    public DemoSite Site { get; }
    public BackupInfo Backup { get; }

    public static ReferenceBackup For(MariaDbFixture fixture)
    {
        lock (Gate)
        {
            if (_built is { } built && ReferenceEquals(built.Fixture, fixture))
                return built.Reference;
            var www = fixture.NewDirectory("verify-www");
            var site = WordPressSiteBuilder.Build(Path.Combine(www, "verify.example", "htdocs"), fixture.Server,
                new SiteOptions { HostName = "verify.example", PostCount = 40, TablePrefix = "wpv_", UploadsBytes = 1 << 20 });
            using var ps = new PowerShellSession();
            var backup = ps.Run("New-WpBackup -Path $root -Destination $d -Reason reference",
                new Dictionary<string, object?> { ["root"] = site.Root, ["d"] = fixture.NewDirectory("verify-ref") }).ShouldSucceed().Single<BackupInfo>();
            var reference = new ReferenceBackup(site, backup);
            _built = (fixture, reference);
            return reference;
        }
    }
}
