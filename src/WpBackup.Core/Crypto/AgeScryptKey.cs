using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace WpBackup.Core.Crypto;

/// <summary>The scrypt wrap key of a passphrase stanza: scrypt(N = 2^logN, r = 8, p = 1, 32 bytes) from BouncyCastle.</summary>
internal static class AgeScryptKey
{
    public const int SaltSize = 16;

    public static byte[] Derive(byte[] passphrase, ReadOnlySpan<byte> salt, int workFactor)
    {
        byte[] labelledSalt = [.. Encoding.ASCII.GetBytes(AgeFormat.ScryptLabel), .. salt];
        return SCrypt.Generate(passphrase, labelledSalt, 1 << workFactor, 8, 1, 32);
    }

    /// <summary>Memory scrypt needs at this work factor (128 × r × N bytes), for messages.</summary>
    public static string MemoryFor(int workFactor)
    {
        if (workFactor > 40)
            return "more memory than any machine has";
        double mib = 128.0 * 8 * Math.Pow(2, workFactor) / (1024 * 1024);
        return mib >= 1024 ? $"{mib / 1024:0.#} GiB" : $"{mib:0.#} MiB";
    }
}
