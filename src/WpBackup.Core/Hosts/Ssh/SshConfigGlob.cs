namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// glob(3) as OpenSSH's <c>Include</c> uses it: <c>*</c>, <c>?</c> and <c>[...]</c> in any
/// path component, names starting with a dot only matched by a pattern starting with a dot,
/// results sorted; a pattern without wildcards yields the path only if it exists.
/// </summary>
internal static class SshConfigGlob
{
    public static IReadOnlyList<string> Expand(string absolutePattern)
    {
        if (!HasMagic(absolutePattern))
        {
            return File.Exists(absolutePattern) || Directory.Exists(absolutePattern) ? [absolutePattern] : [];
        }

        var components = absolutePattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { "/" };
        for (var i = 0; i < components.Length; i++)
        {
            var component = components[i];
            var last = i == components.Length - 1;
            var next = new List<string>();
            foreach (var dir in current)
            {
                if (!HasMagic(component))
                {
                    var candidate = Path.Combine(dir, component);
                    if (last ? File.Exists(candidate) || Directory.Exists(candidate) : Directory.Exists(candidate))
                    {
                        next.Add(candidate);
                    }

                    continue;
                }

                IEnumerable<string> names;
                try
                {
                    names = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().ToList();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                foreach (var name in names.Where(n => NameMatches(n, component)).Order(StringComparer.Ordinal))
                {
                    var candidate = Path.Combine(dir, name);
                    if (last || Directory.Exists(candidate))
                    {
                        next.Add(candidate);
                    }
                }
            }

            current = next;
        }

        return current;
    }

    private static bool HasMagic(string s) => s.AsSpan().IndexOfAny("*?[") >= 0;

    private static bool NameMatches(string name, string pattern)
    {
        if (name.StartsWith('.') && !pattern.StartsWith('.'))
        {
            return false;
        }

        return Match(name, 0, pattern, 0);
    }

    // fnmatch(3) without flags beyond FNM_PERIOD for the leading dot (handled above).
    private static bool Match(string s, int si, string p, int pi)
    {
        while (pi < p.Length)
        {
            var c = p[pi];
            if (c == '*')
            {
                while (pi < p.Length && p[pi] == '*')
                {
                    pi++;
                }

                if (pi == p.Length)
                {
                    return true;
                }

                for (var k = si; k <= s.Length; k++)
                {
                    if (Match(s, k, p, pi))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (si >= s.Length)
            {
                return false;
            }

            if (c == '?')
            {
                si++;
                pi++;
            }
            else if (c == '[' && TryMatchClass(p, pi, s[si], out var matched, out var after))
            {
                if (!matched)
                {
                    return false;
                }

                si++;
                pi = after;
            }
            else
            {
                if (c == '\\' && pi + 1 < p.Length)
                {
                    c = p[++pi];
                }

                if (s[si] != c)
                {
                    return false;
                }

                si++;
                pi++;
            }
        }

        return si == s.Length;
    }

    private static bool TryMatchClass(string p, int start, char ch, out bool matched, out int after)
    {
        matched = false;
        after = start;
        var i = start + 1;
        var negate = i < p.Length && p[i] is '!' or '^';
        if (negate)
        {
            i++;
        }

        var first = true;
        var found = false;
        while (i < p.Length && (first || p[i] != ']'))
        {
            first = false;
            var lo = p[i];
            if (i + 2 < p.Length && p[i + 1] == '-' && p[i + 2] != ']')
            {
                var hi = p[i + 2];
                found |= ch >= lo && ch <= hi;
                i += 3;
            }
            else
            {
                found |= ch == lo;
                i++;
            }
        }

        if (i >= p.Length)
        {
            return false; // no closing ']': treat '[' literally
        }

        matched = found != negate;
        after = i + 1;
        return true;
    }
}
