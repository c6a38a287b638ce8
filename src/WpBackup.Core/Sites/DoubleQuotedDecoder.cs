using System.Globalization;
using System.Text;

namespace WpBackup.Core.Sites;

/// <summary>
/// Decodes the inside of a PHP double-quoted string. PHP strings are bytes: \x and octal escapes
/// give raw bytes, so the value is assembled as UTF-8 and decoded once at the end.
/// </summary>
internal static class DoubleQuotedDecoder
{
    /// <returns>The value, or null when the string interpolates a variable and so is computed.</returns>
    public static string? Decode(ReadOnlySpan<char> body)
    {
        var bytes = new List<byte>(body.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            char next = i + 1 < body.Length ? body[i + 1] : '\0';
            if ((c == '$' && (char.IsAsciiLetter(next) || next is '_' or '{' || next >= '\x80'))
                || (c == '{' && next == '$'))
            {
                return null;
            }
            if (c != '\\' || i + 1 >= body.Length)
            {
                // A lone surrogate (from binary garbage) decodes as U+FFFD rather than throwing.
                Rune.DecodeFromUtf16(body[i..], out Rune rune, out int consumed);
                AppendUtf8(bytes, rune, utf8);
                i += consumed - 1;
                continue;
            }

            i++;
            switch (next)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 'v': bytes.Add(0x0B); break;
                case 'e': bytes.Add(0x1B); break;
                case 'f': bytes.Add(0x0C); break;
                case '\\' or '$' or '"': bytes.Add((byte)next); break;
                case >= '0' and <= '7':
                    int octalLength = CountWhile(body[i..], 3, static d => d is >= '0' and <= '7');
                    bytes.Add((byte)Convert.ToInt32(body.Slice(i, octalLength).ToString(), 8));
                    i += octalLength - 1;
                    break;
                case 'x' when i + 1 < body.Length && char.IsAsciiHexDigit(body[i + 1]):
                    int hexLength = CountWhile(body[(i + 1)..], 2, char.IsAsciiHexDigit);
                    bytes.Add(byte.Parse(body.Slice(i + 1, hexLength), NumberStyles.HexNumber));
                    i += hexLength;
                    break;
                case 'u' when TryReadCodePoint(body[(i + 1)..], out int codePoint, out int length):
                    AppendUtf8(bytes, new Rune(codePoint), utf8);
                    i += length;
                    break;
                default:
                    // PHP keeps an unknown escape as written, backslash included.
                    bytes.Add((byte)'\\');
                    i--;
                    break;
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static int CountWhile(ReadOnlySpan<char> span, int max, Func<char, bool> predicate)
    {
        int n = 0;
        while (n < max && n < span.Length && predicate(span[n]))
        {
            n++;
        }
        return n;
    }

    /// <summary>Reads "{1F600}" (the part after \u); length counts the braces.</summary>
    private static bool TryReadCodePoint(ReadOnlySpan<char> span, out int codePoint, out int length)
    {
        codePoint = 0;
        length = 0;
        int close = span.IndexOf('}');
        if (span.Length < 3 || span[0] != '{' || close < 2 || close > 9
            || !int.TryParse(span[1..close], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out codePoint)
            || !Rune.IsValid(codePoint))
        {
            return false;
        }
        length = close + 1;
        return true;
    }

    private static void AppendUtf8(List<byte> bytes, Rune rune, Span<byte> buffer)
    {
        int written = rune.EncodeToUtf8(buffer);
        for (int k = 0; k < written; k++)
        {
            bytes.Add(buffer[k]);
        }
    }
}
