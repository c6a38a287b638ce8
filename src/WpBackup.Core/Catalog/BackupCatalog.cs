using System.Globalization;
using System.Text.RegularExpressions;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;
using WpBackup.Core.Text;

namespace WpBackup.Core;

/// <summary>
/// A destination folder of backups: <c>ROOT/SITE/ID.tar.zst</c> with its sidecar <c>ROOT/SITE/ID.json</c>.
/// A backup exists once its sidecar exists; listing reads sidecars only.
/// </summary>
public sealed class BackupCatalog(string root)
{
    public const string RootVariable = "WPBACKUP_ROOT";
    public const string IdFormat = "yyyy-MM-dd_HH-mm-ss";

    /// <summary>Names of work folders inside a site folder; never listed as backups.</summary>
    public const string WorkFolderPrefix = ".wpbackup-";

    public string Root { get; } = System.IO.Path.GetFullPath(root);

    /// <summary>$env:WPBACKUP_ROOT, else the per-user data folder (~/.local/share/WpBackup/backups on Linux).</summary>
    public static string DefaultRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(RootVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return fromEnvironment;
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return System.IO.Path.Combine(data, "WpBackup", "backups");
    }

    public string SiteFolder(string site) => System.IO.Path.Combine(Root, site);

    public static string SidecarPathFor(string archivePath) =>
        ArchiveLayout.IsEncryptedName(archivePath)
            ? archivePath[..^ArchiveLayout.EncryptedArchiveExtension.Length] + ArchiveLayout.SidecarExtension
        : archivePath.EndsWith(ArchiveLayout.ArchiveExtension, StringComparison.Ordinal)
            ? archivePath[..^ArchiveLayout.ArchiveExtension.Length] + ArchiveLayout.SidecarExtension
            : archivePath + ArchiveLayout.SidecarExtension;

    /// <summary>Backups whose site matches the wildcard, newest first. Unreadable sidecars are reported, not fatal.</summary>
    public List<WpBackup> List(string? siteWildcard = null, Action<string>? onProblem = null)
    {
        var backups = new List<WpBackup>();
        if (!Directory.Exists(Root))
            return backups;
        Regex? match = siteWildcard is null ? null : Glob.ToRegex(siteWildcard, pathAware: false, ignoreCase: true);
        foreach (var siteDir in Directory.EnumerateDirectories(Root))
        {
            var site = System.IO.Path.GetFileName(siteDir);
            if (site.StartsWith('.') || (match is not null && !match.IsMatch(site)))
                continue;
            foreach (var sidecar in Directory.EnumerateFiles(siteDir, "*" + ArchiveLayout.SidecarExtension))
            {
                if (TryRead(sidecar, onProblem) is { } backup)
                    backups.Add(backup);
            }
        }
        return backups.OrderByDescending(b => b.Created).ThenByDescending(b => b.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads one archive's metadata: from its sidecar when present, else from the archive's own manifest.</summary>
    /// <param name="keys">Opens an encrypted archive that has no sidecar beside it.</param>
    public static WpBackup Read(string archivePath, Crypto.BackupDecryption? keys = null)
    {
        var full = System.IO.Path.GetFullPath(archivePath);
        if (!File.Exists(full))
            throw new BackupNotFoundException("ArchiveNotFound", $"No backup archive at '{full}'. Check the path, or list backups with Get-WpBackup.");
        var sidecar = SidecarPathFor(full);
        if (File.Exists(sidecar))
            return WpBackup.FromManifest(ReadSidecar(sidecar), full);
        return WpBackup.FromManifest(ArchiveReader.ReadManifest(full, keys: keys), full);
    }

    /// <summary>A new id for a site's backup: the UTC time, made unique within the site folder.</summary>
    public string NewId(string site, DateTimeOffset created)
    {
        var baseId = created.UtcDateTime.ToString(IdFormat, CultureInfo.InvariantCulture);
        var id = baseId;
        for (var n = 2; Taken(site, id); n++)
            id = $"{baseId}-{n}";
        return id;
    }

    public string ArchivePath(string site, string id) => System.IO.Path.Combine(SiteFolder(site), id + ArchiveLayout.ArchiveExtension);

    /// <summary>Where an age-encrypted archive of the backup goes: ID.tar.zst.age (its sidecar is still ID.json).</summary>
    public string EncryptedArchivePath(string site, string id) => System.IO.Path.Combine(SiteFolder(site), id + ArchiveLayout.EncryptedArchiveExtension);

    /// <summary>The archive in <paramref name="folder"/> of backup <paramref name="id"/>: ID.tar.zst, else ID.tar.zst.age when only that exists.</summary>
    public static string ArchiveIn(string folder, string id)
    {
        var plain = System.IO.Path.Combine(folder, id + ArchiveLayout.ArchiveExtension);
        var encrypted = System.IO.Path.Combine(folder, id + ArchiveLayout.EncryptedArchiveExtension);
        return !File.Exists(plain) && File.Exists(encrypted) ? encrypted : plain;
    }

    /// <summary>
    /// Deletes a backup. The archive is first renamed out of the way, then the sidecar deleted
    /// (from then on the backup is not listed), then the archive: no orphan either way.
    /// </summary>
    public static void Remove(WpBackup backup)
    {
        var doomed = backup.Path + ".removing";
        var hasArchive = File.Exists(backup.Path);
        if (hasArchive)
            File.Move(backup.Path, doomed, overwrite: true);
        try
        {
            File.Delete(backup.SidecarPath);
        }
        catch
        {
            if (hasArchive)
                File.Move(doomed, backup.Path);
            throw;
        }
        if (hasArchive)
            File.Delete(doomed);
    }

    private bool Taken(string site, string id) =>
        File.Exists(ArchivePath(site, id)) || File.Exists(SidecarPathFor(ArchivePath(site, id))) || File.Exists(EncryptedArchivePath(site, id)) ||
        Directory.Exists(System.IO.Path.Combine(SiteFolder(site), WorkFolderPrefix + id));

    private static BackupManifest ReadSidecar(string path) => BackupManifest.FromJson(File.ReadAllBytes(path));

    private static WpBackup? TryRead(string sidecar, Action<string>? onProblem)
    {
        try
        {
            var manifest = ReadSidecar(sidecar);
            var archive = sidecar[..^ArchiveLayout.SidecarExtension.Length] +
                (manifest.Encrypted == true ? ArchiveLayout.EncryptedArchiveExtension : ArchiveLayout.ArchiveExtension);
            return WpBackup.FromManifest(manifest, archive);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            onProblem?.Invoke($"Skipped '{sidecar}': not a readable WpBackup sidecar ({e.Message}).");
            return null;
        }
    }
}
