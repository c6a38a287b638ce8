using System.Formats.Tar;
using System.Text;
using WpBackup.Core;
using WpBackup.Core.Archives;

namespace WpBackup.Tests.Archives;

/// <summary>Archives written by hand, as an attacker would: any entries, and a manifest that lists what the test says.</summary>
internal static class CraftedArchive
{
    /// <summary>Writes <paramref name="path"/> (a WpBackup archive of "evil.example" whose root is <paramref name="root"/>) and reads it back as a backup.</summary>
    /// <param name="sidecar">When given, a sidecar is written beside the archive: the truth about it, then this edit.</param>
    public static WpBackup.Core.WpBackup Write(string path, string root, Action<TarWriter> entries, List<ManifestFile>? files = null, Action<BackupManifest>? sidecar = null)
    {
        var manifest = new BackupManifest { Id = "2026-01-01_00-00-00", Site = "evil.example", ComputerName = "localhost", Type = "Files", Root = root, Files = files ?? [] };
        using (var file = System.IO.File.Create(path))
        using (var zstd = ZstdStreams.Compress(file, 3, 1))
        using (var tar = new TarWriter(zstd, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "files/"));
            entries(tar);
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, ArchiveLayout.ManifestEntry) { DataStream = new MemoryStream(manifest.ToJson()) });
        }
        if (sidecar is not null)
        {
            var told = manifest.ToSidecar(System.IO.Path.GetFileName(path), new FileInfo(path).Length, Verification.ArchiveSurgery.Sha256(path), manifestOffset: null);
            sidecar(told);
            System.IO.File.WriteAllBytes(BackupCatalog.SidecarPathFor(path), told.ToJson());
        }
        return BackupCatalog.Read(path);
    }

    public static PaxTarEntry File(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    /// <summary>What the hostile entries below would write.</summary>
    public const string Payload = "<?php evil();";

    /// <summary>A file entry named <paramref name="name"/> (one that climbs out, or an absolute one) holding <see cref="Payload"/>.</summary>
    public static Action<TarWriter> Named(string name) => tar => tar.WriteEntry(File(name, Payload));

    /// <summary>A link 'uploads' to <paramref name="outside"/>, then a file written through it.</summary>
    public static Action<TarWriter> ThroughLink(string outside) => tar =>
    {
        tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "files/uploads") { LinkName = outside });
        tar.WriteEntry(File("files/uploads/evil.php", Payload));
    };

    /// <summary>A hard link 'copy' to <paramref name="path"/>, a file that is not part of the restore.</summary>
    public static Action<TarWriter> HardLinkTo(string path) => tar =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "files/copy") { LinkName = path });
}
