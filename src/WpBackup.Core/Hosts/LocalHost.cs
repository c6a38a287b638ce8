using System.Diagnostics;
using System.Text;

namespace WpBackup.Core.Hosts;

/// <summary>This machine: programs run as child processes, files are local files.</summary>
public sealed class LocalHost : ISiteHost
{
    public static readonly LocalHost Instance = new();

    public string ComputerName => Sites.WpSite.LocalComputerName;

    public HostProcess Start(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        try
        {
            return new LocalProcess(Process.Start(info)!, Path.GetFileName(program));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Errors.WpBackupException(Errors.FailureKind.NotFound, "ProgramNotFound",
                $"Cannot run '{program}' on this machine: {e.Message}.", e);
        }
    }

    public PrivateFile CreatePrivateFile(string content)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"wpbackup-{Guid.NewGuid():N}.cnf");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            writer.Write(content);
        return new PrivateFile(path, File.Delete);
    }

    public string? FindProgram(params string[] names)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var dirs = path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"]);
        foreach (var name in names)
            foreach (var dir in dirs)
            {
                var candidate = System.IO.Path.Combine(dir, OperatingSystem.IsWindows() ? name + ".exe" : name);
                if (File.Exists(candidate))
                    return candidate;
            }
        return null;
    }

    public void Dispose() { }

    private sealed class LocalProcess : HostProcess
    {
        private readonly Process _process;
        private readonly Task<string> _stderr;

        public LocalProcess(Process process, string name)
        {
            _process = process;
            Name = name;
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public override string Name { get; }
        public override Stream StandardInput => _process.StandardInput.BaseStream;
        public override Stream StandardOutput => _process.StandardOutput.BaseStream;

        public override (int ExitCode, string StandardError) WaitForExit()
        {
            _process.WaitForExit();
            return (_process.ExitCode, _stderr.GetAwaiter().GetResult());
        }

        public override void Kill()
        {
            try { _process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
        }

        public override void Dispose()
        {
            if (!_process.HasExited)
                Kill();
            _process.Dispose();
        }
    }
}
