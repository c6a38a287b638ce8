using System.Diagnostics;
using System.Text;

namespace WpBackup.Sandbox;

/// <summary>The outcome of a finished child process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs a child process with an argument list (no shell), optional text on stdin,
/// captured UTF-8 stdout/stderr and a bounded wait. Secrets belong on stdin, never in
/// <paramref name="arguments"/>: other users can read a process's argv.
/// </summary>
public static class ProcessRunner
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static ProcessResult Run(
        string fileName,
        IEnumerable<string> arguments,
        string? standardInput = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in arguments) psi.ArgumentList.Add(a);

        using var process = Process.Start(psi)
            ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (standardInput is not null) process.StandardInput.Write(standardInput);
        }
        catch (IOException)
        {
            // The child exited without reading all of its input; its exit code and stderr say why.
        }
        finally
        {
            try { process.StandardInput.Close(); } catch (IOException) { }
        }

        var limit = timeout ?? TimeSpan.FromMinutes(2);
        if (!process.WaitForExit(limit))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
            throw new TimeoutException($"'{Path.GetFileName(fileName)}' did not finish within {limit.TotalSeconds:0} s.");
        }
        process.WaitForExit(); // flushes the async readers
        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
