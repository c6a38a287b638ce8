using System.Text;
using System.Text.RegularExpressions;

namespace WpBackup.Core.Text;

/// <summary>Shell-style wildcards (<c>*</c>, <c>?</c>, <c>**</c>) turned into linear-time regular expressions.</summary>
public static class Glob
{
    /// <param name="pathAware">When true, <c>*</c> and <c>?</c> do not cross '/', and <c>**</c> does.</param>
    public static Regex ToRegex(string glob, bool pathAware, bool ignoreCase = false)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                pattern.Append(".*");
                i++;
            }
            else if (c == '*')
                pattern.Append(pathAware ? "[^/]*" : ".*");
            else if (c == '?')
                pattern.Append(pathAware ? "[^/]" : ".");
            else
                pattern.Append(Regex.Escape(c.ToString()));
        }
        var options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;
        if (ignoreCase)
            options |= RegexOptions.IgnoreCase;
        return new Regex(pattern.Append('$').ToString(), options);
    }
}
