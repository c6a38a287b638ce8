namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// OpenSSH's host pattern matching (match.c): <c>*</c> matches any run of characters,
/// <c>?</c> exactly one; a pattern list is comma-separated and a pattern starting with
/// <c>!</c> is a negation that vetoes the whole list.
/// </summary>
internal static class HostPatterns
{
    /// <summary>Result of <see cref="MatchList"/>, as OpenSSH's match_pattern_list returns it.</summary>
    public enum ListMatch
    {
        NegatedMatch = -1,
        NoMatch = 0,
        Match = 1,
    }

    /// <summary>One pattern against one string, case-sensitive (OpenSSH's match_pattern).</summary>
    public static bool Match(string s, string pattern)
    {
        int si = 0, pi = 0, starPi = -1, starSi = 0;
        while (si < s.Length)
        {
            if (pi < pattern.Length && (pattern[pi] == '?' || (pattern[pi] != '*' && pattern[pi] == s[si])))
            {
                si++;
                pi++;
            }
            else if (pi < pattern.Length && pattern[pi] == '*')
            {
                starPi = pi++;
                starSi = si;
            }
            else if (starPi >= 0)
            {
                pi = starPi + 1;
                si = ++starSi;
            }
            else
            {
                return false;
            }
        }

        while (pi < pattern.Length && pattern[pi] == '*')
        {
            pi++;
        }

        return pi == pattern.Length;
    }

    /// <summary>
    /// A comma-separated pattern list (OpenSSH's match_pattern_list). A matching negated
    /// pattern wins over any positive one. With <paramref name="lowercasePatterns"/> the
    /// patterns are lowercased first (the string is taken as is), like OpenSSH's match_hostname.
    /// </summary>
    public static ListMatch MatchList(string s, string patternList, bool lowercasePatterns)
    {
        var gotPositive = false;
        foreach (var raw in patternList.Split(','))
        {
            var negated = raw.StartsWith('!');
            var pattern = negated ? raw[1..] : raw;
            if (lowercasePatterns)
            {
                pattern = pattern.ToLowerInvariant();
            }

            if (Match(s, pattern))
            {
                if (negated)
                {
                    return ListMatch.NegatedMatch;
                }

                gotPositive = true;
            }
        }

        return gotPositive ? ListMatch.Match : ListMatch.NoMatch;
    }

    /// <summary>Host name against a pattern list, as OpenSSH's match_hostname (patterns lowercased).</summary>
    public static bool MatchHostName(string host, string patternList) =>
        MatchList(host, patternList, lowercasePatterns: true) == ListMatch.Match;
}
