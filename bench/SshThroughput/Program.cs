// Raw SSH channel throughput, SSH.NET against the OpenSSH client, per cipher and MAC.
// Usage: bench/ssh-throughput.sh (starts a private sshd), or directly:
//   dotnet bench/SshThroughput/bin/Release/<tfm>/SshThroughput.dll --port P --user U --key K --known-hosts F
//       [--mb 300] [--rounds 3] [--ciphers default,wpbackup,aes128-ctr,...] [--macs m,n] [--buffers 65536,1048576]
//       [--direction down|up] [--no-openssh]
// Each run opens a connection, runs `head -c N /dev/zero` on the server over one exec channel
// and reads it all (SSH.NET: SshCommand.OutputStream in reads of the given buffer size;
// OpenSSH: `ssh -c CIPHER [-m MAC] host 'head -c N /dev/zero' > /dev/null`); with --direction up
// it sends N zero bytes into `wc -c` instead (SSH.NET: writes of the buffer size into the
// command's input stream; OpenSSH: `head -c N /dev/zero | ssh ... 'wc -c'`). The time includes
// connecting. Round 0 is a warm-up (JIT, page cache) and is not summarised; within a round
// the runs interleave SSH.NET and OpenSSH, so ratios come from the same minutes.
// Besides wall time it records the client's CPU time (SSH.NET: this process, all threads;
// OpenSSH: the ssh process, from /usr/bin/time), which a busy shared machine distorts far less:
// MB per CPU-second is what decrypting, checking and copying the data costs each client.
// Prints one TSV line per run, then the medians of each configuration.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Renci.SshNet;
using WpBackup.Core.Hosts.Ssh;

var options = Options.Parse(args);
var tfm = AppContext.TargetFrameworkName ?? "?";
var sshNet = typeof(SshClient).Assembly;
Console.Error.WriteLine($"# runtime {RuntimeInformation.FrameworkDescription}, app {tfm}, {Path.GetFileName(Path.GetDirectoryName(sshNet.Location))}/{Path.GetFileName(sshNet.Location)} {sshNet.GetName().Version}");
Console.Error.WriteLine($"# SSH.NET offers ciphers: {string.Join(' ', NewInfo(options).Encryptions.Keys)}");
Console.Error.WriteLine($"# SSH.NET offers MACs: {string.Join(' ', NewInfo(options).HmacAlgorithms.Keys)}");
Console.WriteLine("round\tdirection\tclient\tcipher\tmac\tread_buffer\tbytes\tseconds\tMBps\tcpu_seconds\tMB_per_cpu_second\tload1");

var results = new List<(string Key, double MBps, double MBperCpu)>();
for (var round = 0; round <= options.Rounds; round++)
{
    foreach (var (cipher, mac) in options.Pairs())
    {
        foreach (var buffer in options.Buffers)
        {
            var (negotiated, seconds, cpu) = SshNetRun(options, cipher, mac, buffer);
            Report(round, $"SSH.NET {tfm}", negotiated.Cipher, negotiated.Mac, buffer.ToString(CultureInfo.InvariantCulture), seconds, cpu);
        }

        if (options.OpenSsh && cipher is not ("default" or "wpbackup"))
        {
            var (seconds, cpu) = OpenSshRun(options, cipher, mac);
            Report(round, "OpenSSH", cipher, mac, "-", seconds, cpu);
        }
    }
}

Console.WriteLine();
Console.WriteLine("direction\tclient\tcipher\tmac\tread_buffer\tmedian_MBps\tmedian_MB_per_cpu_second\truns");
foreach (var group in results.GroupBy(r => r.Key))
    Console.WriteLine($"{group.Key}\t{Median(group.Select(r => r.MBps)):0.0}\t{Median(group.Select(r => r.MBperCpu)):0.0}\t{group.Count()}");

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

void Report(int round, string client, string cipher, string mac, string buffer, double seconds, double cpu)
{
    var mbps = options.Bytes / seconds / 1e6;
    var perCpu = options.Bytes / cpu / 1e6;
    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    Console.WriteLine($"{round}\t{options.Direction}\t{client}\t{cipher}\t{mac}\t{buffer}\t{options.Bytes}\t{seconds:0.000}\t{mbps:0.0}\t{cpu:0.000}\t{perCpu:0.0}\t{load}");
    if (round > 0)
        results.Add(($"{options.Direction}\t{client}\t{cipher}\t{mac}\t{buffer}", mbps, perCpu));
}

static ConnectionInfo NewInfo(Options o) =>
    new(o.Host, o.Port, o.User, new PrivateKeyAuthenticationMethod(o.User, new PrivateKeyFile(o.Key)));

static ((string Cipher, string Mac) Negotiated, double Seconds, double CpuSeconds) SshNetRun(Options o, string cipher, string mac, int bufferSize)
{
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var info = NewInfo(o);
    if (cipher == "wpbackup")
        SshAlgorithmPreference.Apply(info);
    else if (cipher != "default")
    {
        Restrict(info.Encryptions, cipher);
        if (mac != "aead")
            Restrict(info.HmacAlgorithms, mac);
    }

    var verifier = new HostKeyVerifier(KnownHosts.Load(o.KnownHosts), o.Host, o.Port);
    using var client = new SshClient(info);
    client.HostKeyReceived += verifier.OnHostKeyReceived;
    client.Connect();
    using var command = client.CreateCommand(o.Direction == "up" ? "wc -c" : $"head -c {o.Bytes} /dev/zero");
    var running = command.BeginExecute();
    var buffer = new byte[bufferSize];
    long total = 0;
    if (o.Direction == "up")
    {
        using (var input = command.CreateInputStream())
        {
            for (long sent = 0; sent < o.Bytes; sent += buffer.Length)
                input.Write(buffer, 0, (int)Math.Min(buffer.Length, o.Bytes - sent));
        }

        command.EndExecute(running);
        total = long.Parse(command.Result.Trim(), CultureInfo.InvariantCulture); // what the server counted
    }
    else
    {
        int read;
        while ((read = command.OutputStream.Read(buffer, 0, buffer.Length)) > 0)
            total += read;
        command.EndExecute(running);
    }
    var seconds = clock.Elapsed.TotalSeconds;
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    if (total != o.Bytes || command.ExitStatus != 0)
        throw new InvalidOperationException($"SSH.NET {cipher}/{mac} {o.Direction}: moved {total} of {o.Bytes} bytes, exit {command.ExitStatus}: {command.Error}");
    // For AEAD ciphers SSH.NET still names the (unused) MAC it negotiated; report what protects the data.
    var usedCipher = info.CurrentServerEncryption ?? "?";
    var usedMac = usedCipher.Contains("gcm", StringComparison.Ordinal) || usedCipher.Contains("poly1305", StringComparison.Ordinal) ? "aead" : info.CurrentServerHmacAlgorithm ?? "?";
    return ((cipher is "default" or "wpbackup" ? $"{cipher}:{usedCipher}" : usedCipher, usedMac), seconds, cpu);
}

static void Restrict<T>(IDictionary<string, T> algorithms, string keep)
{
    if (!algorithms.TryGetValue(keep, out var value))
        throw new ArgumentException($"SSH.NET does not offer '{keep}'; it offers: {string.Join(' ', algorithms.Keys)}");
    algorithms.Clear();
    algorithms.Add(keep, value);
}

static (double Seconds, double CpuSeconds) OpenSshRun(Options o, string cipher, string mac)
{
    var times = Path.GetTempFileName();
    var start = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardError = true };
    start.Environment["BYTES"] = o.Bytes.ToString(CultureInfo.InvariantCulture);
    // sh only feeds and redirects ssh as a shell user would; /usr/bin/time reports ssh's own CPU time.
    var script = o.Direction == "up"
        ? "head -c \"$BYTES\" /dev/zero | /usr/bin/time -f '%U %S' -o \"$0\" \"$@\" > /dev/null"
        : "exec /usr/bin/time -f '%U %S' -o \"$0\" \"$@\" > /dev/null";
    foreach (var argument in new[] { "-c", script, times, "ssh", "-p", o.Port.ToString(CultureInfo.InvariantCulture), "-i", o.Key,
                 "-o", "UserKnownHostsFile=" + o.KnownHosts, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-c", cipher })
        start.ArgumentList.Add(argument);
    if (mac != "aead")
    {
        start.ArgumentList.Add("-m");
        start.ArgumentList.Add(mac);
    }

    start.ArgumentList.Add($"{o.User}@{o.Host}");
    start.ArgumentList.Add(o.Direction == "up" ? "wc -c" : $"head -c {o.Bytes} /dev/zero");
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    var seconds = clock.Elapsed.TotalSeconds;
    var cpu = File.ReadAllLines(times).Last().Split(' ').Sum(t => double.Parse(t, CultureInfo.InvariantCulture));
    File.Delete(times);
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"ssh -c {cipher} -m {mac} exited {process.ExitCode}: {error.Trim()}");
    return (seconds, cpu);
}

internal sealed record Options(string Host, int Port, string User, string Key, string KnownHosts, long Bytes, int Rounds,
    string[] Ciphers, string[] Macs, int[] Buffers, string Direction, bool OpenSsh)
{
    private static readonly string[] Aead = ["aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com"];

    /// <summary>Every cipher with every MAC, except AEAD ciphers, which carry their own.</summary>
    public IEnumerable<(string Cipher, string Mac)> Pairs() =>
        Ciphers.SelectMany(c => Aead.Contains(c) || c is "default" or "wpbackup" ? [(c, "aead")] : Macs.Select(m => (c, m)));

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var openSsh = true;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--no-openssh")
                openSsh = false;
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
                values[args[i][2..]] = args[++i];
            else
                throw new ArgumentException($"Unexpected argument '{args[i]}'; see the usage at the top of bench/SshThroughput/Program.cs.");
        }

        string Need(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required.");
        string[] List(string name, string fallback) => (values.TryGetValue(name, out var v) ? v : fallback).Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new Options(values.GetValueOrDefault("host", "127.0.0.1"), int.Parse(Need("port"), CultureInfo.InvariantCulture), Need("user"), Need("key"), Need("known-hosts"),
            long.Parse(values.GetValueOrDefault("mb", "300"), CultureInfo.InvariantCulture) * 1_000_000, int.Parse(values.GetValueOrDefault("rounds", "3"), CultureInfo.InvariantCulture),
            List("ciphers", "default,wpbackup,aes128-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com"),
            List("macs", "hmac-sha2-256-etm@openssh.com,hmac-sha2-256"),
            [.. List("buffers", "1048576").Select(b => int.Parse(b, CultureInfo.InvariantCulture))],
            values.GetValueOrDefault("direction", "down") is "down" or "up" ? values.GetValueOrDefault("direction", "down") : throw new ArgumentException("--direction is down or up."),
            openSsh);
    }
}
