using System.Diagnostics;
using System.Text;
using WpBackup.Tests.Ssh;

namespace WpBackup.Tests.Crypto;

/// <summary>
/// The real age and age-keygen programs (Debian's age package). age reads passphrases from the
/// terminal only, so passphrase runs go through a pseudo-terminal made by util-linux script(1):
/// the passphrase is typed when age's prompt appears.
/// </summary>
internal static class AgeCli
{
    public static ExternalTool.Result Run(params string[] arguments) => ExternalTool.Run("age", arguments);

    public static byte[] Check(params string[] arguments)
    {
        var result = Run(arguments);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"age {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError.Trim()}");
        return result.StandardOutputBytes;
    }

    /// <summary>age-keygen -o PATH; returns the public key it reports.</summary>
    public static string KeyGen(string path)
    {
        var result = ExternalTool.Run("age-keygen", "-o", path);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"age-keygen failed: {result.StandardError}");
        return File.ReadAllLines(path).Single(l => l.StartsWith("# public key: ", StringComparison.Ordinal))["# public key: ".Length..];
    }

    /// <summary>Runs age in a pseudo-terminal, answering each prompt containing "passphrase" with the next answer.</summary>
    public static (int ExitCode, string Terminal) RunWithPassphrase(IReadOnlyList<string> answers, params string[] arguments)
    {
        var command = "exec age " + string.Join(' ', arguments.Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
            start.ArgumentList.Add(a);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start script(1)");
        var terminal = new StringBuilder();
        var errors = process.StandardError.ReadToEndAsync();
        var reader = Task.Run(() =>
        {
            var buffer = new char[256];
            int n;
            while ((n = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (terminal)
                    terminal.Append(buffer, 0, n);
            }
        });

        var deadline = DateTime.UtcNow.AddSeconds(60);
        int answered = 0;
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            int prompts;
            lock (terminal)
                prompts = CountPrompts(terminal.ToString());
            if (answered < answers.Count && prompts > answered)
            {
                process.StandardInput.Write(answers[answered++] + "\n");
                process.StandardInput.Flush();
            }

            Thread.Sleep(20);
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(Math.Max(1, (deadline - DateTime.UtcNow).TotalSeconds))))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"age did not finish; terminal: {terminal}");
        }

        process.StandardInput.Close();
        reader.Wait(TimeSpan.FromSeconds(10));
        return (process.ExitCode, terminal + errors.GetAwaiter().GetResult());
    }

    private static int CountPrompts(string text)
    {
        int count = 0, index = 0;
        while ((index = text.IndexOf("passphrase", index, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            // "Enter passphrase (leave empty to autogenerate a secure one):" names "passphrase" once.
            count++;
            index += "passphrase".Length;
        }

        return count;
    }
}
