// Usage (from the repository root): dotnet run -c Release --project bench/AgeThroughput [MiB=256] [rounds=5]
// Throughput of the age encryption layer against the age CLI on the same data.
// Both sides read the same file from the page cache and write to /dev/null, so the figures
// compare the encryption work, not this machine's disk; runs alternate (ours, age, ours, ...)
// and the best of each is kept. Reports MB/s (10^6 bytes per second) and the time ratio.
using System.Diagnostics;
using WpBackup.Core.Crypto;

int mib = args.Length > 0 ? int.Parse(args[0]) : 256;
int rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
long size = mib * 1024L * 1024;
var dir = Directory.CreateTempSubdirectory("age-throughput-").FullName;
try
{
    var plain = Path.Combine(dir, "plain.bin");
    var keyFile = Path.Combine(dir, "key.txt");
    var ours = Path.Combine(dir, "ours.age");
    var theirs = Path.Combine(dir, "theirs.age");
    var pair = AgeKeys.Generate();
    AgeKeys.WriteIdentityFile(keyFile, pair);
    WriteRandom(plain, size);
    var recipients = new[] { AgeRecipient.Parse(pair.Recipient) };
    var identities = AgeIdentity.ParseFile(keyFile);

    // Inputs for the decrypt runs, made once by each side; each side decrypts the other's file.
    using (var input = File.OpenRead(plain))
    using (var output = File.Create(ours))
    using (var age = AgeEncryptStream.Create(output, recipients))
        input.CopyTo(age, 1024 * 1024);
    Run("age", "-r", pair.Recipient, "-o", theirs, plain);
    Run("sync");

    Console.WriteLine($"{mib} MiB, best of {rounds}; {Environment.ProcessorCount} CPUs; age {Run("age", "--version").Trim()}; input from page cache, output to /dev/null");

    var (oursEncrypt, ageEncrypt) = Compare(rounds,
        () =>
        {
            using var input = File.OpenRead(plain);
            using var age = AgeEncryptStream.Create(Stream.Null, recipients);
            input.CopyTo(age, 1024 * 1024);
        },
        () => Run("age", "-r", pair.Recipient, "-o", "/dev/null", plain));

    var (oursDecrypt, ageDecrypt) = Compare(rounds,
        () =>
        {
            using var input = File.OpenRead(theirs);
            using var age = AgeDecryptStream.Open(input, identities);
            age.CopyTo(Stream.Null, 1024 * 1024);
        },
        () => Run("age", "-d", "-i", keyFile, "-o", "/dev/null", ours));

    Report("encrypt", oursEncrypt, ageEncrypt);
    Report("decrypt", oursDecrypt, ageDecrypt);

    void Report(string what, double oursTime, double theirTime) =>
        Console.WriteLine($"{what,-8} ours {size / oursTime / 1e6,6:F0} MB/s ({oursTime:F2} s)   age CLI {size / theirTime / 1e6,6:F0} MB/s ({theirTime:F2} s)   ours/age time {oursTime / theirTime:F2}x");
}
finally
{
    Directory.Delete(dir, recursive: true);
}

static (double Ours, double Theirs) Compare(int rounds, Action ours, Action theirs)
{
    double bestOurs = double.MaxValue, bestTheirs = double.MaxValue;
    for (int i = 0; i < rounds; i++)
    {
        bestOurs = Math.Min(bestOurs, Time(ours));
        bestTheirs = Math.Min(bestTheirs, Time(theirs));
    }

    return (bestOurs, bestTheirs);
}

static double Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalSeconds;
}

static string Run(string program, params string[] arguments)
{
    var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in arguments)
        start.ArgumentList.Add(a);
    using var process = Process.Start(start)!;
    var error = process.StandardError.ReadToEndAsync();
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"{program} failed: {error.Result}");
    return output;
}

static void WriteRandom(string path, long size)
{
    var buffer = new byte[1024 * 1024];
    using var file = File.Create(path);
    for (long done = 0; done < size; done += buffer.Length)
    {
        Random.Shared.NextBytes(buffer);
        file.Write(buffer);
    }
}
