namespace WpBackup.Tests.Crypto;

/// <summary>Where the parts of a binary age v1 file are: the header, the 16-byte payload nonce, the encrypted chunks.</summary>
internal static class AgeFileLayout
{
    /// <summary>Bytes of the header, up to and including the line feed after the "---" MAC line.</summary>
    public static int HeaderLength(byte[] file) => file.AsSpan().IndexOf("\n---"u8) is var i and >= 0
        ? i + 1 + file.AsSpan(i + 1).IndexOf((byte)'\n') + 1
        : throw new InvalidOperationException("no header end");

    /// <summary>Where the first encrypted chunk starts (after the header and the payload nonce).</summary>
    public static int PayloadStart(byte[] file) => HeaderLength(file) + 16;

    /// <summary>Where encrypted chunk <paramref name="chunk"/> (counted from 0) starts.</summary>
    public static int ChunkStart(byte[] file, int chunk) => PayloadStart(file) + chunk * (Core.Crypto.AgeFormat.ChunkSize + 16);
}
