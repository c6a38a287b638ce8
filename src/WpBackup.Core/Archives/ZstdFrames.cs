using System.Buffers.Binary;

namespace WpBackup.Core.Archives;

/// <summary>
/// Finds where the zstd frames of an archive start by reading only frame and block headers
/// (RFC 8878), so a reader can begin at a frame without decompressing what comes before it.
/// </summary>
internal static class ZstdFrames
{
    private const uint FrameMagic = 0xFD2FB528;
    private const uint SkippableMagicMask = 0xFFFFFFF0;
    private const uint SkippableMagic = 0x184D2A50;

    /// <summary>The offset of every frame that starts before <paramref name="end"/>; null when the bytes are not zstd frames.</summary>
    public static List<long>? Starts(Stream file, long end)
    {
        var starts = new List<long>();
        var header = new byte[18];
        long position = 0;
        while (position < end)
        {
            starts.Add(position);
            file.Position = position;
            if (!ReadExactly(file, header, 8))
                return null;
            var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if ((magic & SkippableMagicMask) == SkippableMagic)
            {
                position += 8 + BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
                continue;
            }
            if (magic != FrameMagic)
                return null;
            var descriptor = header[4];
            var singleSegment = (descriptor & 0x20) != 0;
            var hasChecksum = (descriptor & 0x04) != 0;
            var dictionaryBytes = (descriptor & 0x03) switch { 0 => 0, 1 => 1, 2 => 2, _ => 4 };
            var sizeBytes = (descriptor >> 6) switch { 0 => singleSegment ? 1 : 0, 1 => 2, 2 => 4, _ => 8 };
            position += 5 + (singleSegment ? 0 : 1) + dictionaryBytes + sizeBytes;
            while (true)
            {
                file.Position = position;
                if (!ReadExactly(file, header, 3))
                    return null;
                var block = header[0] | (header[1] << 8) | (header[2] << 16);
                var type = (block >> 1) & 0x03;
                var size = block >> 3;
                position += 3 + type switch { 0 or 2 => size, 1 => 1, _ => -1 };
                if (type == 3)
                    return null;
                if ((block & 1) != 0)
                    break;
            }
            if (hasChecksum)
                position += 4;
        }
        return position == end ? starts : null;
    }

    private static bool ReadExactly(Stream file, byte[] buffer, int count)
    {
        var done = 0;
        while (done < count)
        {
            var read = file.Read(buffer, done, count - done);
            if (read == 0)
                return false;
            done += read;
        }
        return true;
    }
}
