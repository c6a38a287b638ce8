using ZstdSharp;
using ZstdSharp.Unsafe;

namespace WpBackup.Core.Archives;

/// <summary>How archives are compressed: multi-threaded zstd with frame checksums.</summary>
public static class ZstdStreams
{
    public const int DefaultLevel = 3;

    public static Stream Compress(Stream output, int level, int workers)
    {
        var stream = new CompressionStream(output, level, leaveOpen: true);
        stream.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        if (workers > 0)
            stream.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, workers);
        return stream;
    }

    public static Stream Decompress(Stream input) => new DecompressionStream(input, leaveOpen: true);

    public static int DefaultWorkers => Math.Max(1, Environment.ProcessorCount);
}
