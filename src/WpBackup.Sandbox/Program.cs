using System.Diagnostics;
using System.Globalization;
using WpBackup.Sandbox;

// wpbackup-sandbox run [--posts N] [--uploads-mb N] [--sites N] -- COMMAND [ARGS...]
// Starts a throwaway MariaDB with real WordPress sites, runs COMMAND with the environment
// below, then stops and deletes everything. Exit code: COMMAND's.
//   WPBACKUP_DEMO_SITES   folder holding the sites (www/<host>/htdocs)
//   WPBACKUP_ROOT         an empty backup destination inside the sandbox
//   WPBACKUP_DEMO_SOCKET  the MariaDB server's Unix socket (root access for checks)
if (args.Length < 3 || args[0] != "run" || Array.IndexOf(args, "--") < 0)
{
    Console.Error.WriteLine("usage: WpBackup.Sandbox run [--posts N] [--uploads-mb N] [--sites N] -- COMMAND [ARGS...]");
    return 2;
}

var split = Array.IndexOf(args, "--");
var options = args[1..split];
string? Option(string name) => Array.IndexOf(options, name) is var i and >= 0 && i + 1 < options.Length ? options[i + 1] : null;
var posts = int.Parse(Option("--posts") ?? "300", CultureInfo.InvariantCulture);
var uploadsBytes = (long)(double.Parse(Option("--uploads-mb") ?? "4", CultureInfo.InvariantCulture) * 1024 * 1024);
var siteCount = int.Parse(Option("--sites") ?? "1", CultureInfo.InvariantCulture);

var clock = Stopwatch.StartNew();
using var sandbox = SandboxEnvironment.Create(new SiteOptions { HostName = "demo.example", PostCount = posts, UploadsBytes = uploadsBytes });
for (var i = 2; i <= siteCount; i++)
    sandbox.AddSite(new SiteOptions { HostName = $"site{i}.example", PostCount = posts, UploadsBytes = uploadsBytes, Seed = i });
Console.Error.WriteLine($"sandbox: MariaDB on 127.0.0.1:{sandbox.Server.Port}, {siteCount} WordPress site(s) under {sandbox.WebRoot} ({clock.Elapsed.TotalSeconds:F1} s)");

var command = new ProcessStartInfo(args[split + 1]) { UseShellExecute = false };
foreach (var argument in args[(split + 2)..])
    command.ArgumentList.Add(argument);
command.Environment["WPBACKUP_DEMO_SITES"] = sandbox.WebRoot;
command.Environment["WPBACKUP_ROOT"] = Path.Combine(sandbox.BaseDir, "backups");
command.Environment["WPBACKUP_DEMO_SOCKET"] = sandbox.Server.SocketPath;
using var process = Process.Start(command)!;
process.WaitForExit();
return process.ExitCode;
