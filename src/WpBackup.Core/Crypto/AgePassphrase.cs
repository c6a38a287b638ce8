using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace WpBackup.Core.Crypto;

/// <summary>Turns a passphrase into the UTF-8 bytes scrypt hashes, refusing an empty one.</summary>
internal static class AgePassphrase
{
    public static byte[] ToUtf8(string passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        if (passphrase.Length == 0)
            throw Empty();
        return Encoding.UTF8.GetBytes(passphrase);
    }

    public static byte[] ToUtf8(SecureString passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        if (passphrase.Length == 0)
            throw Empty();
        IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(passphrase);
        var chars = new char[passphrase.Length];
        try
        {
            Marshal.Copy(unmanaged, chars, 0, chars.Length);
            return Encoding.UTF8.GetBytes(chars);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars.AsSpan()));
            Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
        }
    }

    public static void CheckWorkFactor(int workFactor, string parameter)
    {
        if (workFactor < 1 || workFactor > AgeFormat.MaxConfigurableScryptWorkFactor)
            throw new ArgumentOutOfRangeException(parameter, workFactor, $"An scrypt work factor (log2 N) is between 1 and {AgeFormat.MaxConfigurableScryptWorkFactor}; age uses {AgeFormat.DefaultScryptWorkFactor}.");
    }

    private static AgeKeyException Empty() => new("AgeEmptyPassphrase", "The passphrase is empty: age refuses an empty passphrase.");
}
