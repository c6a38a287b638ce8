using System.Diagnostics;

namespace WpBackup.Tests.Support;

public static class Processes
{
    /// <summary>Runs a program to completion (with a time limit) and returns exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, params string[] arguments) =>
        RunIn(null, program, arguments);

    public static (int ExitCode, string Stdout, string Stderr) RunIn(string? workingDirectory, string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
            info.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 5 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
