using System.Text;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// POSIX sh quoting for building the command line a remote login shell runs (sshd hands
/// the command string to the user's shell with <c>-c</c>). Every argument comes back to
/// the program as exactly one argv element, byte for byte, with no expansion. Valid for
/// sh, dash, bash, ksh and zsh; not for csh/tcsh or fish login shells.
/// </summary>
public static class ShellQuote
{
    /// <summary>
    /// Quotes one argument: as is when made only of characters no POSIX shell treats
    /// specially (letters, digits and <c>_ @ % + : , . / -</c>), otherwise in single
    /// quotes with each <c>'</c> written as <c>'\''</c>. The empty string becomes <c>''</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The argument holds a NUL character, which no argv can carry.</exception>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Contains('\0'))
        {
            throw new ArgumentException("A command-line argument cannot contain a NUL character.", nameof(argument));
        }

        if (argument.Length == 0)
        {
            return "''";
        }

        if (IsPlain(argument))
        {
            return argument;
        }

        var sb = new StringBuilder(argument.Length + 8);
        sb.Append('\'');
        foreach (var c in argument)
        {
            if (c == '\'')
            {
                sb.Append("'\\''");
            }
            else
            {
                sb.Append(c);
            }
        }

        sb.Append('\'');
        return sb.ToString();
    }

    /// <summary>Quotes each argument and joins them with single spaces.</summary>
    public static string Join(IEnumerable<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        return string.Join(' ', argv.Select(Quote));
    }

    public static string Join(params string[] argv) => Join((IEnumerable<string>)argv);

    // '=' is left out on purpose: a leading "NAME=value" word would be an assignment.
    // '~' (tilde expansion), '*?[' (globs), '{}' (brace expansion in bash) and '!' are quoted too.
    private static bool IsPlain(string s)
    {
        foreach (var c in s)
        {
            var plain = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
                or '_' or '@' or '%' or '+' or ':' or ',' or '.' or '/' or '-';
            if (!plain)
            {
                return false;
            }
        }

        return true;
    }
}
