using System.Text;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// The expansions OpenSSH applies to values in ssh_config: <c>~</c> at the start of a path
/// (tilde_expand_filename), <c>%x</c> tokens (percent_expand: <c>%%</c> is a percent sign, an
/// unknown token is an error) and <c>${VAR}</c> environment references.
/// </summary>
internal static class SshPathExpansion
{
    /// <summary><c>~</c> and <c>~/...</c> become the home directory; <c>~user/...</c> is looked up in /etc/passwd.</summary>
    public static string ExpandTilde(string path, string homeDirectory)
    {
        if (!path.StartsWith('~'))
        {
            return path;
        }

        var slash = path.IndexOf('/');
        var user = slash < 0 ? path[1..] : path[1..slash];
        var rest = slash < 0 ? string.Empty : path[(slash + 1)..];
        string home;
        if (user.Length == 0)
        {
            home = homeDirectory;
        }
        else
        {
            home = LookUpHome(user) ?? throw new FormatException($"unknown user '{user}' in path '{path}'");
        }

        return rest.Length == 0 ? home : home.TrimEnd('/') + "/" + rest;
    }

    /// <summary>Expands <c>%x</c> tokens from <paramref name="tokens"/> and, when allowed, <c>${VAR}</c>.</summary>
    /// <exception cref="FormatException">Unknown token, trailing <c>%</c>, unset or unterminated variable.</exception>
    public static string Expand(string value, IReadOnlyDictionary<char, string> tokens, bool environment)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (environment && c == '$' && i + 1 < value.Length && value[i + 1] == '{')
            {
                var close = value.IndexOf('}', i + 2);
                if (close < 0)
                {
                    throw new FormatException($"unterminated environment variable in '{value}'");
                }

                var name = value[(i + 2)..close];
                var env = Environment.GetEnvironmentVariable(name);
                if (name.Length == 0 || env is null)
                {
                    throw new FormatException($"environment variable '{name}' is not set (in '{value}')");
                }

                sb.Append(env);
                i = close;
            }
            else if (c == '%')
            {
                if (i + 1 >= value.Length)
                {
                    throw new FormatException($"trailing '%' in '{value}'");
                }

                var token = value[++i];
                if (token == '%')
                {
                    sb.Append('%');
                }
                else if (tokens.TryGetValue(token, out var replacement))
                {
                    sb.Append(replacement);
                }
                else
                {
                    throw new FormatException($"unknown token '%{token}' in '{value}'");
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string? LookUpHome(string user)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length >= 6 && fields[0] == user)
                {
                    return fields[5];
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
