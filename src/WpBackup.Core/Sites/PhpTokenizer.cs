using System.Text;

namespace WpBackup.Core.Sites;

/// <summary>
/// A forward-only PHP tokenizer, just precise enough to find defines, assignments and includes:
/// it knows where strings, comments and PHP mode begin and end, and skips everything else one
/// token at a time. Every step consumes at least one character, so any input ends in linear time.
/// </summary>
internal sealed class PhpTokenizer(string text, bool startInPhp = false)
{
    private static readonly string[] Operators =
    [
        "<<=", ">>=", "**=", "...", "<=>", "===", "!==", "??=", "?->",
        "==", "!=", "<>", "<=", ">=", "=>", "->", "::", "++", "--", "+=", "-=", "*=", "/=", ".=",
        "%=", "&=", "|=", "^=", "&&", "||", "??", "<<", ">>", "**", "#[",
    ];

    private int _pos;
    private bool _inPhp = startInPhp;

    public PhpToken Next()
    {
        if (!_inPhp)
        {
            return ReadInlineHtml();
        }

        SkipWhitespaceAndComments();
        if (_pos >= text.Length)
        {
            return new PhpToken(PhpTokenKind.EndOfFile, text.Length, text.Length);
        }

        int start = _pos;
        char c = text[_pos];
        if (c == '?' && At(_pos + 1) == '>')
        {
            _pos += 2;
            _inPhp = false;
            return new PhpToken(PhpTokenKind.CloseTag, start, _pos);
        }
        if (c == '\'')
        {
            return ReadSingleQuoted();
        }
        if (c == '"')
        {
            return ReadDoubleQuoted();
        }
        if (c == '`')
        {
            _pos = SkipQuoted(_pos, '`', out _);
            return new PhpToken(PhpTokenKind.String, start, _pos);
        }
        if (c == '<' && string.CompareOrdinal(text, _pos, "<<<", 0, 3) == 0 && TrySkipHeredoc())
        {
            return new PhpToken(PhpTokenKind.String, start, _pos);
        }
        if (c == '$' && IsNameStart(At(_pos + 1)))
        {
            _pos = SkipName(_pos + 1);
            return new PhpToken(PhpTokenKind.Variable, start, _pos, text[start.._pos]);
        }
        if (IsNameStart(c) || (c == '\\' && IsNameStart(At(_pos + 1))))
        {
            _pos = SkipName(_pos + 1);
            while (At(_pos) == '\\' && IsNameStart(At(_pos + 1)))
            {
                _pos = SkipName(_pos + 1);
            }
            // A leading backslash names the global function: \define is define.
            return new PhpToken(PhpTokenKind.Identifier, start, _pos, text[start.._pos].TrimStart('\\'));
        }
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(At(_pos + 1))))
        {
            _pos++;
            while (char.IsAsciiLetterOrDigit(At(_pos)) || At(_pos) is '_' or '.')
            {
                _pos++;
            }
            return new PhpToken(PhpTokenKind.Number, start, _pos, text[start.._pos]);
        }
        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(text, _pos, op, 0, op.Length) == 0)
            {
                _pos += op.Length;
                return new PhpToken(PhpTokenKind.Punctuation, start, _pos, op);
            }
        }
        _pos++;
        return new PhpToken(PhpTokenKind.Punctuation, start, _pos, c.ToString());
    }

    private char At(int index) => index < text.Length ? text[index] : '\0';

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\x80';

    private int SkipName(int index)
    {
        while (index < text.Length && (IsNameStart(text[index]) || char.IsAsciiDigit(text[index])))
        {
            index++;
        }
        return index;
    }

    private PhpToken ReadInlineHtml()
    {
        int start = _pos;
        int search = _pos;
        while (true)
        {
            int open = text.IndexOf("<?", search, StringComparison.Ordinal);
            if (open < 0)
            {
                _pos = text.Length;
                return new PhpToken(PhpTokenKind.EndOfFile, start, _pos);
            }
            int after = open + 2;
            if (string.Compare(text, after, "php", 0, 3, StringComparison.OrdinalIgnoreCase) == 0
                && (after + 3 >= text.Length || char.IsWhiteSpace(text[after + 3])))
            {
                after += 3;
            }
            else if (At(after) == '=')
            {
                after += 1;
            }
            else if (!char.IsWhiteSpace(At(after)))
            {
                search = after;
                continue;
            }
            _pos = after;
            _inPhp = true;
            return new PhpToken(PhpTokenKind.OpenTag, open, after);
        }
    }

    private void SkipWhitespaceAndComments()
    {
        while (_pos < text.Length)
        {
            char c = text[_pos];
            if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if ((c == '#' && At(_pos + 1) != '[') || (c == '/' && At(_pos + 1) == '/'))
            {
                // A line comment ends at the line's end or at ?>, which still closes PHP mode.
                while (_pos < text.Length && text[_pos] is not ('\n' or '\r')
                       && !(text[_pos] == '?' && At(_pos + 1) == '>'))
                {
                    _pos++;
                }
            }
            else if (c == '/' && At(_pos + 1) == '*')
            {
                int end = text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                _pos = end < 0 ? text.Length : end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private int SkipQuoted(int index, char quote, out bool terminated)
    {
        index++;
        while (index < text.Length && text[index] != quote)
        {
            index += text[index] == '\\' ? 2 : 1;
        }
        terminated = index < text.Length;
        return Math.Min(index + 1, text.Length);
    }

    private PhpToken ReadSingleQuoted()
    {
        int start = _pos;
        var value = new StringBuilder();
        int i = start + 1;
        for (; i < text.Length && text[i] != '\''; i++)
        {
            if (text[i] == '\\' && At(i + 1) is '\'' or '\\')
            {
                i++;
            }
            value.Append(text[i]);
        }
        _pos = Math.Min(i + 1, text.Length);
        return new PhpToken(PhpTokenKind.String, start, _pos, i < text.Length ? value.ToString() : null);
    }

    private PhpToken ReadDoubleQuoted()
    {
        int start = _pos;
        _pos = SkipQuoted(_pos, '"', out bool terminated);
        string? value = terminated ? DoubleQuotedDecoder.Decode(text.AsSpan(start + 1, _pos - start - 2)) : null;
        return new PhpToken(PhpTokenKind.String, start, _pos, value);
    }

    /// <summary>Skips a heredoc or nowdoc (&lt;&lt;&lt;ID ... ID); false when this is not one.</summary>
    private bool TrySkipHeredoc()
    {
        int i = _pos + 3;
        while (At(i) is ' ' or '\t')
        {
            i++;
        }
        char quote = At(i) is '\'' or '"' ? text[i] : '\0';
        if (quote != '\0')
        {
            i++;
        }
        if (!IsNameStart(At(i)))
        {
            return false;
        }
        int nameEnd = SkipName(i);
        string label = text[i..nameEnd];
        i = nameEnd;
        if (quote != '\0')
        {
            if (At(i) != quote)
            {
                return false;
            }
            i++;
        }
        if (At(i) is not ('\n' or '\r'))
        {
            return false;
        }

        // Since PHP 7.3 the closing label may be indented and followed by more code on its line.
        while (i < text.Length)
        {
            int lineStart = i + 1;
            while (At(lineStart) is ' ' or '\t')
            {
                lineStart++;
            }
            if (string.CompareOrdinal(text, lineStart, label, 0, label.Length) == 0
                && !IsNameStart(At(lineStart + label.Length)) && !char.IsAsciiDigit(At(lineStart + label.Length)))
            {
                _pos = lineStart + label.Length;
                return true;
            }
            int next = text.IndexOfAny(['\n', '\r'], lineStart);
            i = next < 0 ? text.Length : next;
        }
        _pos = text.Length;
        return true;
    }
}
