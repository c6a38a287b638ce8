using System.Text;

namespace WpBackup.Core.Crypto;

/// <summary>
/// Bech32 as specified in BIP-173 (the original constant 1, not Bech32m), without the
/// 90-character limit, as age uses it for its keys. An encoding with a checksum, not a
/// cryptographic primitive. Error messages never repeat the input: it may be a secret key.
/// </summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const int ChecksumLength = 6;
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    /// <summary>Encodes bytes; the output is upper case when <paramref name="hrp"/> is, lower case otherwise.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> data) => EncodeGroups(hrp, ToFiveBitGroups(data));

    /// <summary>Decodes a Bech32 string carrying bytes; the returned HRP keeps the input's case.</summary>
    public static (string Hrp, byte[] Data) Decode(string text)
    {
        var (hrp, groups) = DecodeGroups(text);
        return (hrp, FromFiveBitGroups(groups));
    }

    /// <summary>Encodes 5-bit groups (values 0..31) after <paramref name="hrp"/> and the separator, then the checksum.</summary>
    public static string EncodeGroups(string hrp, ReadOnlySpan<byte> groups)
    {
        CheckHrp(hrp);
        bool upper = hrp != hrp.ToLowerInvariant();
        var lowerHrp = hrp.ToLowerInvariant();
        var builder = new StringBuilder(lowerHrp.Length + 1 + groups.Length + ChecksumLength);
        builder.Append(lowerHrp).Append('1');
        foreach (var g in groups)
        {
            if (g > 31)
                throw new ArgumentOutOfRangeException(nameof(groups), "A Bech32 data group holds 5 bits.");
            builder.Append(Charset[g]);
        }

        var checksum = Polymod(Expand(lowerHrp, groups, withZeros: true)) ^ 1;
        for (int i = 0; i < ChecksumLength; i++)
            builder.Append(Charset[(int)((checksum >> (5 * (5 - i))) & 31)]);

        var text = builder.ToString();
        return upper ? text.ToUpperInvariant() : text;
    }

    /// <summary>Decodes to the HRP and the 5-bit data groups (checksum verified and removed).</summary>
    public static (string Hrp, byte[] Groups) DecodeGroups(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool hasLower = false, hasUpper = false;
        foreach (var c in text)
        {
            if (c < 33 || c > 126)
                throw new FormatException("Bech32 text may only hold printable ASCII characters.");
            hasLower |= c is >= 'a' and <= 'z';
            hasUpper |= c is >= 'A' and <= 'Z';
        }

        if (hasLower && hasUpper)
            throw new FormatException("Bech32 text must be all upper case or all lower case.");

        int separator = text.LastIndexOf('1');
        if (separator < 1)
            throw new FormatException("Bech32 text needs a non-empty prefix followed by the separator '1'.");
        if (text.Length - separator - 1 < ChecksumLength)
            throw new FormatException("Bech32 text is too short to hold its checksum.");

        var hrp = text[..separator];
        var lower = text.ToLowerInvariant();
        var values = new byte[text.Length - separator - 1];
        for (int i = 0; i < values.Length; i++)
        {
            int v = Charset.IndexOf(lower[separator + 1 + i]);
            if (v < 0)
                throw new FormatException("Bech32 text holds a character outside its alphabet.");
            values[i] = (byte)v;
        }

        if (Polymod(Expand(lower[..separator], values, withZeros: false)) != 1)
            throw new FormatException("Bech32 checksum does not match (a typo, or a truncated key).");

        return (hrp, values[..^ChecksumLength]);
    }

    /// <summary>Regroups 8-bit bytes into 5-bit groups, padding the last group with zero bits.</summary>
    public static byte[] ToFiveBitGroups(ReadOnlySpan<byte> data)
    {
        var result = new byte[(data.Length * 8 + 4) / 5];
        int acc = 0, bits = 0, n = 0;
        foreach (var b in data)
        {
            acc = (acc << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                result[n++] = (byte)((acc >> bits) & 31);
            }
            acc &= (1 << bits) - 1;
        }

        if (bits > 0)
            result[n++] = (byte)((acc << (5 - bits)) & 31);
        return result;
    }

    /// <summary>Regroups 5-bit groups into bytes; the padding must be under 5 bits and all zero.</summary>
    public static byte[] FromFiveBitGroups(ReadOnlySpan<byte> groups)
    {
        var result = new byte[groups.Length * 5 / 8];
        int acc = 0, bits = 0, n = 0;
        foreach (var g in groups)
        {
            if (g > 31)
                throw new FormatException("A Bech32 data group holds 5 bits.");
            acc = (acc << 5) | g;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                result[n++] = (byte)((acc >> bits) & 0xff);
            }
            acc &= (1 << bits) - 1;
        }

        if (bits >= 5)
            throw new FormatException("Bech32 data has a whole group of padding.");
        if (acc != 0)
            throw new FormatException("Bech32 data has non-zero padding bits.");
        return result;
    }

    private static void CheckHrp(string hrp)
    {
        ArgumentException.ThrowIfNullOrEmpty(hrp);
        foreach (var c in hrp)
        {
            if (c < 33 || c > 126)
                throw new ArgumentException("A Bech32 prefix holds printable ASCII only.", nameof(hrp));
        }

        if (hrp != hrp.ToLowerInvariant() && hrp != hrp.ToUpperInvariant())
            throw new ArgumentException("A Bech32 prefix must not mix cases.", nameof(hrp));
    }

    /// <summary>The checksum input: the HRP's high bits, a zero, its low bits, the data, and six zeros when creating.</summary>
    private static byte[] Expand(string lowerHrp, ReadOnlySpan<byte> data, bool withZeros)
    {
        var values = new byte[lowerHrp.Length * 2 + 1 + data.Length + (withZeros ? ChecksumLength : 0)];
        for (int i = 0; i < lowerHrp.Length; i++)
        {
            values[i] = (byte)(lowerHrp[i] >> 5);
            values[lowerHrp.Length + 1 + i] = (byte)(lowerHrp[i] & 31);
        }

        data.CopyTo(values.AsSpan(lowerHrp.Length * 2 + 1));
        return values;
    }

    private static uint Polymod(ReadOnlySpan<byte> values)
    {
        uint chk = 1;
        foreach (var v in values)
        {
            uint top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (int i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                    chk ^= Generator[i];
            }
        }

        return chk;
    }
}
