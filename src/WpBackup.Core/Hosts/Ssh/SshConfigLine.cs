using System.Text;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// One ssh_config line split the way OpenSSH's readconf does it: the keyword ends at
/// whitespace or one <c>=</c> (so <c>Key Value</c>, <c>Key=Value</c> and <c>Key = Value</c>
/// are the same), keywords are case-insensitive, arguments are split on whitespace with
/// double or single quotes and backslash escapes (argv_split), and an unquoted <c>#</c> at
/// the start of an argument ends the line.
/// </summary>
internal sealed class SshConfigLine
{
    private SshConfigLine(string keyword, IReadOnlyList<string> arguments)
    {
        Keyword = keyword;
        Arguments = arguments;
    }

    /// <summary>Lowercased keyword.</summary>
    public string Keyword { get; }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Null for blank and comment lines.</summary>
    /// <exception cref="FormatException">No argument after the keyword, or unbalanced quotes.</exception>
    public static SshConfigLine? Parse(string line)
    {
        var s = line.TrimEnd(' ', '\t', '\r', '\n', '\f').AsSpan().TrimStart(" \t\r\n");
        if (s.IsEmpty || s[0] == '#')
        {
            return null;
        }

        var end = s.IndexOfAny(" \t=");
        if (end == 0)
        {
            return null; // a line starting with '=' has no keyword; OpenSSH ignores it too
        }

        var keyword = (end < 0 ? s : s[..end]).ToString().ToLowerInvariant();
        var rest = end < 0 ? [] : s[end..];
        rest = rest.TrimStart(" \t");
        if (!rest.IsEmpty && rest[0] == '=')
        {
            rest = rest[1..].TrimStart(" \t");
        }

        if (rest.IsEmpty)
        {
            throw new FormatException($"no argument after keyword \"{keyword}\"");
        }

        return new SshConfigLine(keyword, SplitArguments(rest));
    }

    private static List<string> SplitArguments(ReadOnlySpan<char> s)
    {
        var args = new List<string>();
        var i = 0;
        while (i < s.Length)
        {
            if (s[i] is ' ' or '\t')
            {
                i++;
                continue;
            }

            if (s[i] == '#')
            {
                break;
            }

            var arg = new StringBuilder();
            var quote = '\0';
            for (; i < s.Length; i++)
            {
                var c = s[i];
                if (c == '\\' && i + 1 < s.Length &&
                    (s[i + 1] is '\'' or '"' or '\\' || (quote == '\0' && s[i + 1] == ' ')))
                {
                    arg.Append(s[++i]);
                }
                else if (quote == '\0' && c is ' ' or '\t')
                {
                    break;
                }
                else if (quote == '\0' && c is '"' or '\'')
                {
                    quote = c;
                }
                else if (quote != '\0' && c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    arg.Append(c);
                }
            }

            if (quote != '\0')
            {
                throw new FormatException("invalid quotes");
            }

            args.Add(arg.ToString());
        }

        return args;
    }
}
