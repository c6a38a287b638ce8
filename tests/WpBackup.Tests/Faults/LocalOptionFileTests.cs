using System.Diagnostics;
using WpBackup.Core.Hosts;

namespace WpBackup.Tests.Faults;

/// <summary>
/// The restore's option file (its stdin carries the SQL) has no name on disk while it is used: the
/// client opens it through /proc, so a kill -9 of the backup process leaves no file with the password.
/// </summary>
public sealed class LocalOptionFileTests
{
    [Fact]
    public void A_private_file_has_no_name_in_the_temp_folder_yet_a_child_process_reads_it_until_disposed()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var secret = "[client]\npassword=opt-" + Guid.NewGuid().ToString("N") + "\n";
        var before = Directory.GetFiles(Path.GetTempPath(), "wpbackup-*.cnf").ToHashSet();

        var file = LocalHost.Instance.CreatePrivateFile(secret);
        string[] leftovers;
        string readByChild;
        try
        {
            leftovers = Directory.GetFiles(Path.GetTempPath(), "wpbackup-*.cnf").Where(f => !before.Contains(f)).ToArray();
            readByChild = Cat(file.Path).Output;
        }
        finally
        {
            file.Dispose();
        }

        Assert.Empty(leftovers);
        Assert.StartsWith($"/proc/{Environment.ProcessId}/fd/", file.Path);
        Assert.Equal(secret, readByChild);
        Assert.False(PointsAtAnOptionFile(file.Path), "the descriptor still holds the option file after Dispose");
    }

    // After Dispose the descriptor number may be reused by anything (a pipe, say), so only ask what it points at.
    private static bool PointsAtAnOptionFile(string descriptorPath)
    {
        try
        {
            return new FileInfo(descriptorPath).LinkTarget?.Contains("wpbackup-", StringComparison.Ordinal) == true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static (int ExitCode, string Output) Cat(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
