using System.Buffers.Text;

namespace WpBackup.Core.Crypto;

/// <summary>
/// The base64 of age headers: the standard alphabet without '=' padding. Decoding is strict:
/// only alphabet characters, and the encoding must be canonical (unused bits zero), so a
/// header has exactly one spelling and cannot be altered without breaking its MAC.
/// </summary>
internal static class AgeBase64
{
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    public static bool TryDecode(string text, out byte[] data)
    {
        data = [];
        if (text.Length % 4 == 1)
            return false;
        foreach (var c in text)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/'))
                return false;
        }

        var padded = (text.Length % 4) switch
        {
            2 => text + "==",
            3 => text + "=",
            _ => text,
        };
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(padded.Length)];
        if (!Convert.TryFromBase64String(padded, decoded, out int written))
            return false;
        decoded = decoded[..written];

        // Canonical: re-encoding gives the same text (rejects non-zero trailing bits).
        if (Encode(decoded) != text)
            return false;
        data = decoded;
        return true;
    }
}
