using System.Text;
using System.Text.RegularExpressions;

namespace WpBackup.HelpBuilder.Markdown;

/// <summary>Markdown inline markup as plain text: code spans keep their content, emphasis and escapes go, links keep their text.</summary>
public static partial class InlineText
{
    public static string ToPlain(string markdown)
    {
        var text = new StringBuilder(markdown.Length);
        var i = 0;
        while (i < markdown.Length)
        {
            var c = markdown[i];
            if (c == '`')
            {
                var run = CountRun(markdown, i, '`');
                var close = FindClosingRun(markdown, i + run, run);
                if (close < 0)
                {
                    text.Append(markdown, i, run);
                    i += run;
                    continue;
                }
                var code = markdown[(i + run)..close];
                if (code.Length > 1 && code[0] == ' ' && code[^1] == ' ' && code.Trim().Length > 0)
                    code = code[1..^1];
                text.Append(code);
                i = close + run;
                continue;
            }
            if (c == '\\' && i + 1 < markdown.Length && @"\`*_{}[]()#+-.!|<>".Contains(markdown[i + 1]))
            {
                text.Append(markdown[i + 1]);
                i += 2;
                continue;
            }
            if (c == '*' && i + 1 < markdown.Length && markdown[i + 1] == '*')
            {
                i += 2;
                continue;
            }
            if (c == '[' && Link().Match(markdown, i) is { Success: true } link && link.Index == i)
            {
                var label = ToPlain(link.Groups["text"].Value);
                var target = link.Groups["target"].Value;
                text.Append(label);
                if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                    text.Append(" (").Append(target).Append(')');
                i += link.Length;
                continue;
            }
            text.Append(c);
            i++;
        }
        return text.ToString();
    }

    private static int CountRun(string s, int start, char c)
    {
        var end = start;
        while (end < s.Length && s[end] == c)
            end++;
        return end - start;
    }

    private static int FindClosingRun(string s, int from, int length)
    {
        for (var i = from; i < s.Length; i++)
        {
            if (s[i] != '`')
                continue;
            var run = CountRun(s, i, '`');
            if (run == length)
                return i;
            i += run - 1;
        }
        return -1;
    }

    [GeneratedRegex(@"\[(?<text>[^\]]+)\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();
}
