namespace WpBackup.Core.Hosts.Ssh;

/// <summary>
/// The check OpenSSH makes before it uses a private key: on Unix, a key file that gives
/// any permission to group or others ("UNPROTECTED PRIVATE KEY FILE") is a secret others
/// on the machine can read.
/// </summary>
public static class PrivateKeyPermissions
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// A warning naming the file, its mode and the fix (<c>chmod 600</c>) when the key is
    /// open to group or others; null when it is private, on Windows, or when the file does
    /// not exist (loading it reports that).
    /// </summary>
    public static string? Check(string privateKeyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(privateKeyPath);
        if (OperatingSystem.IsWindows() || !File.Exists(privateKeyPath))
        {
            return null;
        }

        var mode = File.GetUnixFileMode(privateKeyPath);
        if ((mode & GroupOrOthers) == 0)
        {
            return null;
        }

        var octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
        return $"Private key file '{privateKeyPath}' has permissions {octal}: other users on this machine can read it " +
               $"(OpenSSH refuses such keys). Restrict it with: {ShellQuote.Join("chmod", "600", privateKeyPath)}";
    }
}
