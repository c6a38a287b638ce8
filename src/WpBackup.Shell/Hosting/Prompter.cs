using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace WpBackup.Shell.Hosting;

/// <summary>
/// Asks the person at the terminal (Read-Host, -Confirm, ShouldContinue, credentials). Prompts
/// are written to standard error so they never end up in redirected output. Without interactive
/// input every prompt fails at once with an error that says how to avoid it, instead of hanging.
/// </summary>
internal sealed class Prompter(Terminal terminal)
{
    private volatile bool _reading;

    public bool IsReading => _reading;

    public string ReadLine()
    {
        Require("Cannot read input");
        return Read() ?? throw EndOfInput();
    }

    public SecureString ReadSecret()
    {
        Require("Cannot read a secret");
        return ReadMasked();
    }

    public int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        if (!terminal.IsInteractive)
        {
            string what = OneLine(string.IsNullOrEmpty(caption) ? message : $"{caption}: {message}");
            throw NotInteractive(terminal, $"Cannot prompt \"{what}\"", "To go ahead without asking, pass -Confirm:$false (or -Force where the command has it).");
        }

        ShowHeading(caption, message);
        var keys = choices.Select(c => HotKey(c.Label)).ToArray();
        string menu = string.Join("  ", choices.Select((c, i) => $"[{keys[i]}] {c.Label.Replace("&", string.Empty)}"));
        string suffix = defaultChoice >= 0 && defaultChoice < choices.Count ? $" (default is \"{keys[defaultChoice]}\")" : string.Empty;
        while (true)
        {
            terminal.Error($"{menu}  [?] Help{suffix}: ");
            string answer = (Read() ?? throw EndOfInput()).Trim();
            if (answer.Length == 0 && suffix.Length > 0)
            {
                return defaultChoice;
            }

            if (answer == "?")
            {
                for (int i = 0; i < choices.Count; i++)
                {
                    terminal.Error($"{keys[i]} - {choices[i].HelpMessage}\n");
                }

                continue;
            }

            for (int i = 0; i < choices.Count; i++)
            {
                if (answer.Equals(keys[i], StringComparison.OrdinalIgnoreCase)
                    || answer.Equals(choices[i].Label.Replace("&", string.Empty), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }
    }

    public Dictionary<string, PSObject> PromptFields(string caption, string message, Collection<FieldDescription> descriptions)
    {
        // The engine prompts with a caption for missing mandatory parameters; Read-Host has none.
        Require(
            $"Cannot prompt for {string.Join(", ", descriptions.Select(d => $"\"{d.Name}\""))}",
            string.IsNullOrEmpty(caption) ? null : "Pass the values as parameters instead.");
        ShowHeading(caption, message);
        var result = new Dictionary<string, PSObject>(StringComparer.OrdinalIgnoreCase);
        foreach (FieldDescription field in descriptions)
        {
            string label = string.IsNullOrEmpty(field.Label) ? field.Name : field.Label.Replace("&", string.Empty);
            string type = field.ParameterTypeFullName ?? string.Empty;
            if (type == typeof(SecureString).FullName)
            {
                terminal.Error(label + ": ");
                result[field.Name] = new PSObject(ReadMasked());
            }
            else if (type == typeof(PSCredential).FullName)
            {
                result[field.Name] = new PSObject(PromptForCredential(string.Empty, label, string.Empty));
            }
            else if (type.EndsWith("[]", StringComparison.Ordinal))
            {
                // Like pwsh: one value per line, an empty line ends the list.
                var values = new List<string>();
                while (true)
                {
                    terminal.Error($"{label}[{values.Count}]: ");
                    string line = Read() ?? string.Empty;
                    if (line.Length == 0)
                    {
                        break;
                    }

                    values.Add(line);
                }

                result[field.Name] = new PSObject(values.ToArray());
            }
            else
            {
                terminal.Error(label + ": ");
                string line = Read() ?? throw EndOfInput();
                result[field.Name] = line.Length == 0 && field.DefaultValue is not null ? field.DefaultValue : new PSObject(line);
            }
        }

        return result;
    }

    public PSCredential PromptForCredential(string caption, string message, string userName)
    {
        Require("Cannot prompt for a credential", "Pass a PSCredential (-Credential) instead.");
        ShowHeading(caption, message);
        if (string.IsNullOrEmpty(userName))
        {
            terminal.Error("User: ");
            userName = Read() ?? throw EndOfInput();
        }

        terminal.Error($"Password for user {userName}: ");
        return new PSCredential(userName, ReadMasked());
    }

    internal static PSInvalidOperationException NotInteractive(Terminal terminal, string action, string? advice = null)
    {
        string text = $"{action}: no interactive input ({terminal.NotInteractiveReason ?? "input is not available"}).";
        var exception = new PSInvalidOperationException(advice is null ? text : $"{text} {advice}");
        exception.ErrorRecord.CategoryInfo.Reason = "NoInteractiveInput";
        return exception;
    }

    private void Require(string action, string? advice = null)
    {
        if (!terminal.IsInteractive)
        {
            throw NotInteractive(terminal, action, advice);
        }
    }

    private void ShowHeading(string caption, string message)
    {
        if (!string.IsNullOrEmpty(caption))
        {
            terminal.Error(caption + "\n", ConsoleColor.Cyan);
        }

        if (!string.IsNullOrEmpty(message))
        {
            terminal.Error(message + "\n");
        }
    }

    private string? Read()
    {
        _reading = true;
        try
        {
            return Console.In.ReadLine();
        }
        finally
        {
            _reading = false;
        }
    }

    private SecureString ReadMasked()
    {
        var secret = new SecureString();
        _reading = true;
        try
        {
            while (true)
            {
                ConsoleKeyInfo key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (secret.Length > 0)
                    {
                        secret.RemoveAt(secret.Length - 1);
                        terminal.ErrorControl("\b \b");
                    }
                }
                else if (key.KeyChar != '\0')
                {
                    secret.AppendChar(key.KeyChar);
                    terminal.ErrorControl("*");
                }
            }
        }
        finally
        {
            _reading = false;
            terminal.ErrorControl("\n");
        }

        secret.MakeReadOnly();
        return secret;
    }

    private static string HotKey(string label)
    {
        int amp = label.IndexOf('&');
        return amp >= 0 && amp + 1 < label.Length ? char.ToUpperInvariant(label[amp + 1]).ToString() : label;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static PSInvalidOperationException EndOfInput() => new("Cannot read input: standard input ended.");
}
