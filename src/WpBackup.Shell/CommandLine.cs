using System.Management.Automation.Runspaces;

namespace WpBackup.Shell;

/// <summary>Thrown for a command line that <c>wpbackup</c> cannot run.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Parses the <c>wpbackup</c> command line the way pwsh parses its own: parameter names are
/// case-insensitive, start with <c>-</c> or <c>--</c> and may be shortened to any unique prefix
/// (<c>-c</c>, <c>-f</c>, <c>-v</c> and <c>-h</c> are fixed short forms), everything after
/// <c>-Command</c> is the script text, everything after <c>-File</c> goes to the script, and a
/// first argument that is not a parameter is the script file.
/// </summary>
internal static class CommandLine
{
    private static readonly string[] Names = ["Command", "File", "Help", "Version", "NoModule", "NonInteractive"];

    private static readonly Dictionary<string, string> ShortForms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["c"] = "Command",
        ["f"] = "File",
        ["h"] = "Help",
        ["?"] = "Help",
        ["v"] = "Version",
    };

    public static ShellOptions Parse(IReadOnlyList<string> args)
    {
        bool noModule = false, nonInteractive = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!IsParameter(arg))
            {
                // pwsh: a first non-parameter argument is the script file.
                return FileMode(arg, args, i + 1, noModule, nonInteractive);
            }

            switch (Resolve(arg))
            {
                case "Command":
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException("-Command needs the script text to run (or '-' to read it from standard input).");
                    }

                    // pwsh joins everything after -Command into the script text.
                    return new ShellOptions
                    {
                        Mode = ShellMode.Command,
                        CommandText = string.Join(' ', args.Skip(i + 1)),
                        NoModule = noModule,
                        NonInteractive = nonInteractive,
                    };
                case "File":
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException("-File needs the path of the script to run.");
                    }

                    return FileMode(args[i + 1], args, i + 2, noModule, nonInteractive);
                case "Help":
                    return new ShellOptions { Mode = ShellMode.Help };
                case "Version":
                    return new ShellOptions { Mode = ShellMode.Version };
                case "NoModule":
                    noModule = true;
                    break;
                case "NonInteractive":
                    nonInteractive = true;
                    break;
            }
        }

        throw new UsageException("Nothing to run: pass -Command '<script>' or -File <script.ps1>.");
    }

    private static ShellOptions FileMode(string path, IReadOnlyList<string> args, int firstScriptArg, bool noModule, bool nonInteractive) =>
        new()
        {
            Mode = ShellMode.File,
            FilePath = path,
            FileArguments = ScriptArguments(args.Skip(firstScriptArg)),
            NoModule = noModule,
            NonInteractive = nonInteractive,
        };

    /// <summary>
    /// Shapes script arguments as pwsh -File does: <c>-Name</c> is a parameter name (paired with
    /// the next argument by the binder unless it is a switch), <c>-Name:value</c> is a named value
    /// (<c>$true</c>/<c>$false</c> become booleans), anything else is positional.
    /// </summary>
    internal static IReadOnlyList<CommandParameter> ScriptArguments(IEnumerable<string> args)
    {
        var result = new List<CommandParameter>();
        foreach (string arg in args)
        {
            if (arg.Length > 1 && arg[0] == '-' && !IsNumber(arg))
            {
                int colon = arg.IndexOf(':');
                if (colon < 0 || colon == arg.Length - 1)
                {
                    // A dash-prefixed name without a value reads like a parsed token to the binder.
                    result.Add(new CommandParameter(arg.TrimEnd(':')));
                }
                else
                {
                    string text = arg[(colon + 1)..];
                    object value = text.ToLowerInvariant() switch
                    {
                        "$true" => true,
                        "$false" => false,
                        _ => text,
                    };
                    result.Add(new CommandParameter(arg[..(colon + 1)], value));
                }
            }
            else
            {
                result.Add(new CommandParameter(null, arg));
            }
        }

        return result;
    }

    private static bool IsNumber(string arg) => double.TryParse(arg, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static bool IsParameter(string arg) => arg.Length > 1 && arg[0] == '-' || arg == "/?";

    private static string Resolve(string arg)
    {
        string name = arg.TrimStart('-', '/');
        if (ShortForms.TryGetValue(name, out string? shortForm))
        {
            return shortForm;
        }

        string? exact = Names.FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        string[] matches = Names.Where(n => name.Length > 0 && n.StartsWith(name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (matches.Length == 1)
        {
            return matches[0];
        }

        throw new UsageException(matches.Length > 1
            ? $"The parameter '{arg}' is ambiguous: it could be -{string.Join(", -", matches)}."
            : $"Unknown parameter '{arg}'.");
    }
}
