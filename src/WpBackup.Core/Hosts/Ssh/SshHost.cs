using System.Text;
using Renci.SshNet;
using WpBackup.Core.Archives;
using WpBackup.Core.Errors;
using WpBackup.Core.Threading;

namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// A server reached over one SSH connection. Commands run over exec channels with every
/// argument quoted; files move through the server's own find and tar. Nothing is uploaded to
/// or staged on the server but, for a restore's database client (its stdin carries the SQL), a
/// 0600 option file, removed after use; dumps and queries read the login on their stdin.
/// </summary>
public sealed class SshHost : ISiteHost, IDisposable
{
    private readonly SshClient _client;

    internal SshHost(SshTarget target, SshClient client)
    {
        Target = target;
        _client = client;
    }

    public SshTarget Target { get; }
    public string ComputerName => Target.ComputerName;
    public bool IsConnected => _client.IsConnected;

    public HostProcess Start(string program, IReadOnlyList<string> arguments) => Start(program, arguments, $"'{Path.GetFileName(program)}'");

    /// <param name="task">What the command does, for messages: "tar (archiving the files of '/srv/www')".</param>
    internal HostProcess Start(string program, IReadOnlyList<string> arguments, string task)
    {
        try
        {
            return new SshHostProcess(_client, ShellQuote.Join([program, .. arguments]), task, Target.ToString());
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshConnectionException or Renci.SshNet.Common.SshException or ObjectDisposedException or InvalidOperationException)
        {
            throw new TransportException("SshConnectionLost", $"Cannot start {task} on {Target}: the SSH connection is gone ({e.Message}).", e);
        }
    }

    /// <summary>Runs a script with sh, feeding stdin; returns exit code, stdout bytes and stderr.</summary>
    /// <param name="task">What the script does, for messages when the connection drops.</param>
    internal (int ExitCode, byte[] Output, string Error) RunScript(string script, IReadOnlyList<string> arguments, string task, byte[]? input = null)
    {
        using var process = Start("sh", ["-c", script, "sh", .. arguments], task);
        // Fed on a thread of its own: output is read meanwhile, since a full output buffer holds up the connection.
        var feeding = BlockingWork.Start(() =>
        {
            if (input is not null)
                process.StandardInput.Write(input);
            process.StandardInput.Close();
        });
        using var output = new MemoryStream();
        process.StandardOutput.CopyTo(output);
        try { feeding.GetAwaiter().GetResult(); }
        catch (Exception e) when (e is IOException or ObjectDisposedException or Renci.SshNet.Common.SshException) { } // the script stopped reading; its exit says why
        var (exit, error) = process.WaitForExit();
        return (exit, output.ToArray(), error);
    }

    public PrivateFile CreatePrivateFile(string content)
    {
        var (exit, output, error) = RunScript(RemoteScripts.PrivateFile, [], "mktemp (creating a private temporary file)", Encoding.UTF8.GetBytes(content));
        var path = Encoding.UTF8.GetString(output);
        if (exit != 0 || path.Length == 0)
            throw new TransportException("RemoteTempFileFailed", $"Cannot create a private temporary file on {Target}: {error.Trim()}");
        return new PrivateFile(path, p => RunScript("rm -f -- \"$1\"", [p], $"rm (removing '{p}')"));
    }

    public string? FindProgram(params string[] names)
    {
        var (exit, output, _) = RunScript(RemoteScripts.FindProgram, names, $"sh (looking for {string.Join(" or ", names)})");
        return exit == 0 ? Encoding.UTF8.GetString(output).Split('\n')[0].Trim() : null;
    }

    public IReadOnlyList<SiteLocation> FindSites(IReadOnlyList<string> paths, int depth, Action<string> onMissingPath)
    {
        var (_, output, _) = RunScript(RemoteScripts.FindSites, [depth.ToString(System.Globalization.CultureInfo.InvariantCulture), .. paths], "find (looking for WordPress sites)");
        var fields = Encoding.UTF8.GetString(output).Split('\0');
        var sites = new List<SiteLocation>();
        for (var i = 0; i < fields.Length - 1;)
        {
            if (fields[i] == "missing")
            {
                onMissingPath(fields[i + 1]);
                i += 2;
            }
            else if (fields[i] == "site" && i + 3 < fields.Length)
            {
                if (!InsideWordPressFolder(fields[i + 1]))
                    sites.Add(new SiteLocation(fields[i + 1], fields[i + 2], WordPressVersion.FromVersionFile(fields[i + 3])));
                i += 4;
            }
            else
                break;
        }
        return sites.OrderBy(s => s.Root, StringComparer.Ordinal).ToList();
    }

    public byte[]? ReadFile(string path)
    {
        var (exit, output, error) = RunScript(RemoteScripts.ReadFile, [path, LocalHost.MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)], $"head (reading '{path}')");
        return exit switch
        {
            0 => output,
            3 => null,
            _ => throw new IOException($"{error.Trim()} (on {Target})"),
        };
    }

    public List<ScannedEntry> ScanTree(string root, ExcludeFilter exclude, Action<string> onSkipped) => RemoteTreeScanner.Scan(this, root, exclude, onSkipped);

    public List<ManifestFile> ArchiveTree(string root, IReadOnlyList<ScannedEntry> entries, ArchiveWriter writer, TreeArchiveOptions options) =>
        new RemoteTreeArchiver(this, writer, options).Write(root, entries);

    public Dictionary<string, string> HashFiles(string root, IReadOnlyList<string> relativePaths)
    {
        var names = new MemoryStream();
        foreach (var relative in relativePaths)
        {
            names.Write(Encoding.UTF8.GetBytes("./" + relative));
            names.WriteByte(0);
        }
        var (_, output, _) = RunScript(RemoteScripts.HashFiles, [root], $"sha256sum (hashing files of '{root}')", names.ToArray());
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in Encoding.UTF8.GetString(output).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (record.Length > 68 && record[64] == ' ' && record[66..].StartsWith("./", StringComparison.Ordinal))
                hashes[record[68..]] = record[..64];
        }
        return hashes;
    }

    public bool FolderHasContent(string path) => RunScript(RemoteScripts.HasContent, [path], $"ls (looking into '{path}')").ExitCode == 0;

    public string CreateStagingFolder(string target, Action<RestoreLeftover> onLeftover)
    {
        var trimmed = target.TrimEnd('/');
        var staging = $"{trimmed[..(trimmed.LastIndexOf('/') + 1)]}.{trimmed[(trimmed.LastIndexOf('/') + 1)..]}.wpbackup-restore-{Guid.NewGuid():N}";
        var (exit, output, error) = RunScript(RemoteScripts.CreateStaging, [trimmed, staging], $"mkdir (creating a staging folder beside '{target}')");
        var fields = Encoding.UTF8.GetString(output).Split('\0');
        for (var i = 0; i + 1 < fields.Length; i += 2)
            onLeftover(new RestoreLeftover(fields[i + 1], PutBack: fields[i] == "back"));
        if (exit != 0)
            throw new DestinationException("TargetNotWritable", $"Cannot create a staging folder beside '{target}' on {Target}: {error.Trim()}");
        return staging;
    }

    public ISiteTreeWriter OpenTreeWriter(string stagingFolder) => new RemoteTarTreeWriter(this, stagingFolder);

    public void ReplaceFolder(string stagingFolder, string target)
    {
        var trimmed = target.TrimEnd('/');
        var old = $"{trimmed[..(trimmed.LastIndexOf('/') + 1)]}.{trimmed[(trimmed.LastIndexOf('/') + 1)..]}.wpbackup-old-{Guid.NewGuid():N}";
        var (exit, _, error) = RunScript(RemoteScripts.Replace, [stagingFolder, trimmed, old], $"mv (putting the restored files in place at '{target}')");
        if (exit != 0)
            throw new DestinationException("TargetNotWritable", $"Cannot put the restored files in place at '{target}' on {Target}: {error.Trim()}");
    }

    public void DeleteFolder(string path) => RunScript("rm -rf -- \"$1\"", [path], $"rm (removing '{path}')");

    public void Dispose() => _client.Dispose();

    private static bool InsideWordPressFolder(string root) =>
        root.Split('/').SkipLast(1).Any(part => part is "wp-admin" or "wp-includes" or "wp-content");
}
