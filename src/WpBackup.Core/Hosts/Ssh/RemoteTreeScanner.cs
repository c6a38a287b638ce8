using System.Globalization;
using System.Text;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>Lists a site's tree on a server with one <c>find</c> (metadata only), filtered on this side.</summary>
internal static class RemoteTreeScanner
{
    private const int FieldsPerEntry = 6;

    public static List<ScannedEntry> Scan(SshHost host, string root, ExcludeFilter exclude, Action<string> onSkipped)
    {
        var (exit, output, error) = host.RunScript(RemoteScripts.ScanTree, [root], $"find (listing the files of '{root}')");
        if (exit != 0)
            throw new ArchiveException("SiteFolderUnreadable",
                $"Cannot list the site folder '{root}' on {host.Target}: {error.Trim()} Run as a user who can read the whole site, or exclude it with -Exclude.");
        var fields = Encoding.UTF8.GetString(output).Split('\0');
        var entries = new List<ScannedEntry>();
        var excludedFolders = new List<string>();
        for (var i = 0; i + FieldsPerEntry <= fields.Length; i += FieldsPerEntry)
        {
            var relative = fields[i + 5];
            if (relative.Length > 0 && (exclude.IsExcluded(relative) || excludedFolders.Any(f => relative.StartsWith(f, StringComparison.Ordinal))))
            {
                if (fields[i] == "d")
                    excludedFolders.Add(relative + "/");
                continue;
            }
            var type = fields[i] switch
            {
                "f" => ManifestEntryType.File,
                "d" => ManifestEntryType.Directory,
                "l" => ManifestEntryType.Symlink,
                _ => (ManifestEntryType?)null,
            };
            if (type is null)
            {
                onSkipped(SpecialFile.SkippedWarning($"{root.TrimEnd('/')}/{relative}", SpecialFile.KindFromFindType(fields[i]) ?? "special file"));
                continue;
            }
            entries.Add(new ScannedEntry(
                relative,
                relative.Length == 0 ? root : $"{root.TrimEnd('/')}/{relative}",
                type.Value,
                type == ManifestEntryType.File ? long.Parse(fields[i + 1], CultureInfo.InvariantCulture) : 0,
                (UnixFileMode)Convert.ToInt32(fields[i + 2], 8),
                ParseTime(fields[i + 3]),
                type == ManifestEntryType.Symlink ? fields[i + 4] : null));
        }
        return entries.OrderBy(e => e.RelativePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>find's %T@: seconds since the epoch with a fraction of up to 10 digits.</summary>
    private static DateTimeOffset ParseTime(string text)
    {
        var dot = text.IndexOf('.');
        var seconds = long.Parse(dot < 0 ? text : text[..dot], CultureInfo.InvariantCulture);
        var fraction = dot < 0 ? "0" : (text[(dot + 1)..] + "0000000")[..7];
        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
    }
}
