using System.Diagnostics;
using System.Runtime.InteropServices;

namespace WpBackup.Tests.Shell;

/// <summary>What a finished wpbackup process left behind.</summary>
internal sealed record ShellResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>
/// Runs the built <c>wpbackup</c> executable as a real process, with standard input closed (so
/// not interactive), and kills it if it has not finished within the timeout.
/// </summary>
internal static class ShellProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string ExecutablePath { get; } = FindExecutable();

    public static Task<ShellResult> CommandAsync(string script) => RunAsync("-Command", script);

    public static async Task<ShellResult> RunAsync(params string[] arguments)
    {
        using Process process = Start(arguments);
        return await FinishAsync(process, arguments);
    }

    /// <summary>Starts wpbackup; finish it with <see cref="FinishAsync"/>.</summary>
    public static Process Start(params string[] arguments) => StartWith(new Dictionary<string, string>(), arguments);

    /// <summary>Starts wpbackup with extra environment variables.</summary>
    public static Process StartWith(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The apphost needs to find the runtime that runs these tests.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")))
        {
            start.Environment["DOTNET_ROOT"] = DotnetRoot();
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {ExecutablePath}");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Reads what is left of the output and waits for the exit, killing the process after the timeout.</summary>
    public static async Task<ShellResult> FinishAsync(Process process, params string[] arguments)
    {
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"wpbackup {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s and was killed.\n"
                + $"--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
        }

        return new ShellResult(process.ExitCode, await stdout, await stderr);
    }

    private static string FindExecutable()
    {
        // The tests run from tests/WpBackup.Tests/bin/<Configuration>/<tfm>/.
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = testDirectory.Parent?.Name ?? "Debug";
        DirectoryInfo? root = testDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WpBackup.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"no WpBackup.sln above {AppContext.BaseDirectory}");
        }

        string name = OperatingSystem.IsWindows() ? "wpbackup.exe" : "wpbackup";
        string path = Path.Combine(root.FullName, "src", "WpBackup.Shell", "bin", configuration, "net10.0", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"wpbackup is not built at {path}", path);
    }

    internal static string DotnetRoot()
    {
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/ -> .../dotnet
        string runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        return Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
    }
}
