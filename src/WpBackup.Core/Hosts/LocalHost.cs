using System.Diagnostics;
using System.Text;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;
using WpBackup.Core.Operations;

namespace WpBackup.Core.Hosts;

/// <summary>This machine: programs run as child processes, files are read and written directly.</summary>
public sealed class LocalHost : ISiteHost
{
    public static readonly LocalHost Instance = new();

    /// <summary>Bigger files are not configuration files; reading stops there.</summary>
    public const int MaxFileBytes = 4 << 20;

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
            throw new WpBackupException(FailureKind.NotFound, "ProgramNotFound", $"Cannot run '{program}' on this machine: {e.Message}.", e);
        }
    }

    public PrivateFile CreatePrivateFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"wpbackup-{Guid.NewGuid():N}.cnf");
        var stream = PrivatePaths.CreateFile(path);
        try
        {
            var bytes = new UTF8Encoding(false).GetBytes(content);
            stream.Write(bytes);
            stream.Flush();
            if (!OperatingSystem.IsLinux())
            {
                stream.Dispose();
                return new PrivateFile(path, File.Delete);
            }
            // The name goes at once; child processes open the still-open file through /proc, so a
            // kill -9 of this process (which closes the descriptor) leaves no file with the secret behind.
            File.Delete(path);
            var descriptor = stream.SafeFileHandle.DangerousGetHandle().ToInt32();
            return new PrivateFile($"/proc/{Environment.ProcessId}/fd/{descriptor}", _ => stream.Dispose());
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }
    }

    public string? FindProgram(params string[] names)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"]);
        foreach (var name in names)
            foreach (var dir in dirs)
            {
                var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? name + ".exe" : name);
                if (File.Exists(candidate))
                    return candidate;
            }
        return null;
    }

    public IReadOnlyList<SiteLocation> FindSites(IReadOnlyList<string> paths, int depth, Action<string> onMissingPath)
    {
        var sites = new List<SiteLocation>();
        foreach (var path in paths)
        {
            if (!Directory.Exists(path))
                onMissingPath(path);
            else
                sites.AddRange(LocalSiteLocator.Find(path, depth));
        }
        return sites;
    }

    public byte[]? ReadFile(string path)
    {
        if (!File.Exists(path))
            return null;
        using var stream = File.OpenRead(path);
        var buffer = new byte[Math.Min(stream.Length, MaxFileBytes)];
        stream.ReadExactly(buffer);
        return buffer;
    }

    public List<ScannedEntry> ScanTree(string root, ExcludeFilter exclude, Action<string> onSkipped) => LocalTreeScanner.Scan(root, exclude, onSkipped);

    public List<ManifestFile> ArchiveTree(string root, IReadOnlyList<ScannedEntry> entries, ArchiveWriter writer, TreeArchiveOptions options) =>
        new LocalTreeArchiver(writer, options).Write(entries);

    public Dictionary<string, string> HashFiles(string root, IReadOnlyList<string> relativePaths)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var relative in relativePaths)
        {
            try
            {
                using var file = File.OpenRead(Path.Combine(root, relative));
                hashes[relative] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(file)).ToLowerInvariant();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // left out: the file is then archived, and archiving reports it if it stays unreadable
            }
        }
        return hashes;
    }

    public bool FolderHasContent(string path) => Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any();

    public string CreateStagingFolder(string target, Action<RestoreLeftover> onLeftover)
    {
        var full = Path.GetFullPath(target).TrimEnd('/');
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        if (!Path.Exists(full) && Directory.EnumerateDirectories(parent, $".{Path.GetFileName(full)}.wpbackup-old-*").FirstOrDefault() is { } aside)
        {
            Directory.Move(aside, full);
            onLeftover(new RestoreLeftover(aside, PutBack: true));
        }
        foreach (var leftover in Directory.EnumerateDirectories(parent, $".{Path.GetFileName(full)}.wpbackup-*"))
        {
            PrivatePaths.DeleteFolder(leftover);
            onLeftover(new RestoreLeftover(leftover, PutBack: false));
        }
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.wpbackup-restore-{Guid.NewGuid():N}");
        PrivatePaths.CreateFolder(staging);
        return staging;
    }

    public ISiteTreeWriter OpenTreeWriter(string stagingFolder) => new LocalTreeWriter(stagingFolder);

    public void ReplaceFolder(string stagingFolder, string target) => TreeSwap.Replace(stagingFolder, target);

    public void DeleteFolder(string path) => PrivatePaths.DeleteFolder(path);

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
