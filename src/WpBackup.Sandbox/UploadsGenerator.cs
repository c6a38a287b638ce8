using System.Text;

namespace WpBackup.Sandbox;

/// <summary>What <see cref="UploadsGenerator.Generate"/> wrote.</summary>
public sealed record UploadsSummary(int FileCount, long TotalBytes, string NewestMonthFolder);

/// <summary>
/// Fills wp-content/uploads/YYYY/MM with deterministic files: random bytes named .jpg
/// (incompressible, like real photos) and word text named .txt/.csv (compressible), with
/// mtimes inside their month. Adds the symlink uploads/latest -> YYYY/MM (relative).
/// </summary>
public static class UploadsGenerator
{
    private static readonly string[] Words =
    [
        "wordpress", "backup", "restore", "archive", "server", "database", "theme", "plugin",
        "media", "upload", "gallery", "summer", "winter", "café", "naïve", "über", "straße",
        "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed",
        "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua",
    ];

    public static UploadsSummary Generate(string uploadsDir, long totalBytes, int seed, DateOnly newestMonth, double incompressibleFraction)
    {
        var random = new Random(seed);
        var months = Enumerable.Range(0, 12).Select(i => newestMonth.AddMonths(i - 11)).ToArray();
        var newestFolder = Folder(months[^1]);
        Directory.CreateDirectory(Path.Combine(uploadsDir, newestFolder));

        long written = 0;
        var count = 0;
        while (written < totalBytes)
        {
            // The first file goes to the newest month, so the "latest" link never points at an empty folder.
            var month = count == 0 ? months[^1] : months[random.Next(months.Length)];
            var incompressible = random.NextDouble() < incompressibleFraction;
            var size = incompressible ? random.Next(30_000, 300_000) : random.Next(4_000, 60_000);
            size = (int)Math.Max(1024, Math.Min(size, totalBytes - written));

            var directory = Path.Combine(uploadsDir, Folder(month));
            Directory.CreateDirectory(directory);
            count++;
            string path;
            if (incompressible)
            {
                path = Path.Combine(directory, $"photo-{count:0000}.jpg");
                File.WriteAllBytes(path, RandomJpegLike(random, size));
            }
            else
            {
                var extension = random.Next(3) == 0 ? "csv" : "txt";
                path = Path.Combine(directory, $"notes-{count:0000}.{extension}");
                File.WriteAllBytes(path, Text(random, size, csv: extension == "csv"));
            }
            var mtime = new DateTime(month.Year, month.Month, 1 + count % 28, 8 + count % 12, count % 60, 0, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(path, mtime);
            written += size;
        }

        Directory.CreateSymbolicLink(Path.Combine(uploadsDir, DemoContent.UploadsLinkName), newestFolder);
        return new UploadsSummary(count, written, newestFolder);
    }

    private static string Folder(DateOnly month) => $"{month.Year:0000}/{month.Month:00}";

    private static byte[] RandomJpegLike(Random random, int size)
    {
        var bytes = new byte[size];
        random.NextBytes(bytes);
        // JPEG SOI + APP0 marker, so `file` and humans recognise it; the rest stays random.
        ReadOnlySpan<byte> header = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00];
        header[..Math.Min(header.Length, size)].CopyTo(bytes);
        return bytes;
    }

    private static byte[] Text(Random random, int size, bool csv)
    {
        var output = new MemoryStream(size + 256);
        var line = new StringBuilder();
        if (csv) line.Append("id,title,views,note\n");
        for (var n = 1; output.Length < size; n++)
        {
            if (csv)
                line.Append(n).Append(',').Append(Word(random)).Append(' ').Append(Word(random)).Append(',')
                    .Append(random.Next(10_000)).Append(",\"").Append(Word(random)).Append("\"\n");
            else
            {
                for (var w = random.Next(6, 16); w > 0; w--) line.Append(Word(random)).Append(' ');
                line.Append('\n');
            }
            output.Write(Encoding.UTF8.GetBytes(line.ToString()));
            line.Clear();
        }
        return Truncate(output.ToArray(), size);
    }

    // Cut to exactly `size` bytes; replace a split multi-byte character at the end with spaces.
    private static byte[] Truncate(byte[] bytes, int size)
    {
        var result = bytes[..size];
        var i = size - 1;
        while (i >= 0 && (result[i] & 0xC0) == 0x80) i--;
        if (i >= 0 && result[i] >= 0xC0)
        {
            var needed = result[i] >= 0xF0 ? 4 : result[i] >= 0xE0 ? 3 : 2;
            if (i + needed > size) result.AsSpan(i).Fill((byte)' ');
        }
        return result;
    }

    private static string Word(Random random) => Words[random.Next(Words.Length)];
}
