using WpBackup.Core.Archives;
using WpBackup.Core.Errors;

namespace WpBackup.Core.Verification;

/// <summary>
/// Reads an archive file once, end to end: the zstd frames with their checksums, every tar
/// entry hashed by the extractor (written to a tree when one is given), and the file's own
/// size and SHA-256. Damage is an outcome here, not an exception: a test reports it.
/// </summary>
internal static class ArchiveScan
{
    /// <param name="progress">Called after each entry with the compressed bytes read so far and in all.</param>
    /// <param name="keys">Open an encrypted archive; a wrong or missing key throws (it is not damage).</param>
    public static ScanOutcome Run(string path, ISiteTreeWriter? tree, string? privateFolder, Action<StagedExtraction, long, long> progress,
        Crypto.BackupDecryption? keys = null, Stream? stored = null)
    {
        using var file = new ArchiveFileHash(stored ?? ArchiveReader.OpenFile(path));
        using var reader = new ArchiveReader(path, ArchiveSource.Open(path, keys, file));
        StagedExtraction? staged = null;
        string? damage = null;
        try
        {
            staged = new ArchiveExtractor(reader, s =>
                {
                    staged = s;
                    progress(s, file.Position, file.Length);
                })
                .Extract(tree, privateFolder);
        }
        catch (ArchiveException e)
        {
            damage = Describe(e, path);
        }
        catch (Crypto.AgeDecryptionException e)
        {
            // The age reader's own words: the result names the archive already.
            damage = $"the encrypted archive does not authenticate ({e.ErrorId}): {(e.InnerException as Crypto.AgeDecryptionException ?? e).Message}";
        }
        var (size, sha256) = file.Finish();
        return new ScanOutcome(staged, damage, size, sha256);
    }

    /// <summary>The failure as a problem of this archive: which layer broke, without repeating the archive's path.</summary>
    private static string Describe(ArchiveException e, string path) => e.InnerException switch
    {
        ZstdSharp.ZstdException zstd => $"the archive's zstd data is damaged ({zstd.Message})",
        EndOfStreamException => "the archive is truncated: its data ends before its zstd frame or tar stream does",
        _ => e.Message.Replace($"The archive '{path}' ", "the archive ", StringComparison.Ordinal),
    };
}

/// <param name="Staged">What the archive held; when reading stopped at damage, what was read up to there.</param>
/// <param name="Damage">Why reading stopped (a bad zstd frame or checksum, truncation, a refused entry).</param>
internal sealed record ScanOutcome(StagedExtraction? Staged, string? Damage, long Size, string Sha256);
