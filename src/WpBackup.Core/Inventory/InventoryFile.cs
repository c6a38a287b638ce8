using System.Text;
using WpBackup.Core.Operations;

namespace WpBackup.Core.Inventory;

/// <summary>Where the inventory file is, reading it safely, and whether others can read it.</summary>
public static class InventoryFile
{
    public const string PathVariable = "WPBACKUP_CONFIG";

    /// <summary>Inventories are small; anything bigger is not one.</summary>
    public const int MaxBytes = 1 << 20;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// $env:WPBACKUP_CONFIG, else inventory.yml in the per-user config folder:
    /// ~/.config/wpbackup on Linux (XDG_CONFIG_HOME when set), %APPDATA%\WpBackup on Windows.
    /// </summary>
    public static string DefaultPath()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return Path.GetFullPath(fromEnvironment);
        var config = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(config, OperatingSystem.IsWindows() ? "WpBackup" : "wpbackup", "inventory.yml");
    }

    /// <summary>The file's text; warns (through <paramref name="warn"/>) when group or others may read it.</summary>
    /// <exception cref="InventoryException">Missing (InventoryNotFound), unreadable, or too big.</exception>
    public static string Read(string path, Action<string> warn)
    {
        if (Directory.Exists(path))
            throw new InventoryException(InventoryErrors.Unreadable, path, null, null, "this is a folder; -ConfigPath takes the inventory file (e.g. inventory.yml).");
        if (!File.Exists(path))
            throw new InventoryException(InventoryErrors.NotFound, path, null, null,
                $"there is no inventory here. Write one (see docs/inventory.md), or add sites with 'Find-WpSite … | Register-WpSite'; -ConfigPath or ${PathVariable} name another file.");
        byte[] bytes;
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length > MaxBytes)
                throw new InventoryException(InventoryErrors.TooLarge, path, null, null, $"the file is {stream.Length:N0} bytes; an inventory is at most {MaxBytes:N0}.");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InventoryException(InventoryErrors.Unreadable, path, null, null, $"cannot read the inventory: {e.Message}", e);
        }
        WarnIfShared(path, warn);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw new InventoryException(InventoryErrors.Syntax, path, null, null, "the file is not UTF-8 text.", e);
        }
    }

    /// <summary>On Unix: a warning when group or others have any permission on the file (it names servers and secrets' names).</summary>
    public static void WarnIfShared(string path, Action<string> warn)
    {
        if (OperatingSystem.IsWindows())
            return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOthers) != 0)
            warn($"The inventory '{path}' can be read or changed by other users (mode {Octal(mode)}): it says which servers, keys and secrets your backups use. Run: chmod 600 '{path}'");
    }

    /// <summary>Writes the inventory atomically (a temporary file beside it, then a rename), 0600 when new, keeping an existing file's mode.</summary>
    public static void Write(string path, string text)
    {
        var target = Path.GetFullPath(path);
        if (File.Exists(target) && new FileInfo(target).LinkTarget is not null)
            target = new FileInfo(target).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? target;
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
            PrivatePaths.CreateFolder(folder);
        var mode = !OperatingSystem.IsWindows() && File.Exists(target) ? File.GetUnixFileMode(target) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(new UTF8Encoding(false).GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, mode);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8);
}
