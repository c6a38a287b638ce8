using System.Diagnostics;
using System.Text;

namespace WpBackup.Tests.Ssh;

/// <summary>Runs a real program with an exact argv (no shell in between) and captures its output.</summary>
internal static class ExternalTool
{
    internal sealed record Result(int ExitCode, byte[] StandardOutputBytes, string StandardError)
    {
        public string StandardOutput => Encoding.UTF8.GetString(StandardOutputBytes);
    }

    public static Result Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, string? standardInput = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}");
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in time");
        }

        copyOut.GetAwaiter().GetResult();
        return new Result(process.ExitCode, stdout.ToArray(), readErr.GetAwaiter().GetResult());
    }

    public static Result Run(string fileName, params string[] arguments) => Run(fileName, (IEnumerable<string>)arguments);

    /// <summary>Runs and throws with the program's stderr when it exits non-zero.</summary>
    public static string Check(string fileName, params string[] arguments)
    {
        var result = Run(fileName, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError.Trim()} {result.StandardOutput.Trim()}");
        }

        return result.StandardOutput;
    }
}
