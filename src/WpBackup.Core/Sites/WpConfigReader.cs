using WpBackup.Core.Errors;
using WpBackup.Core.Hosts;

namespace WpBackup.Core.Sites;

/// <summary>Reads a site's wp-config.php on its host into database settings.</summary>
public static class WpConfigReader
{
    /// <summary>A wp-config.php is a few KB; anything over this is not one, and is refused rather than parsed.</summary>
    public const int MaxConfigBytes = 1 << 20;

    public static DatabaseSettings Read(ISiteHost host, string configPath)
    {
        byte[]? content;
        try
        {
            content = host.ReadFile(configPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WpConfigException("WpConfigUnreadable",
                $"Cannot read '{configPath}' on {host.ComputerName}: {e.Message} Run as a user who can read the site's wp-config.php.", e);
        }
        if (content is null)
            throw new WpConfigException("WpConfigUnreadable", $"'{configPath}' does not exist on {host.ComputerName}.");
        CheckLooksLikeConfig(host, configPath, content);
        return WpConfigParser.Parse(System.Text.Encoding.UTF8.GetString(content)).ToDatabaseSettings(configPath);
    }

    /// <summary>Refuses what cannot be a wp-config.php: too big (the host reads at most <see cref="LocalHost.MaxFileBytes"/>), or binary.</summary>
    private static void CheckLooksLikeConfig(ISiteHost host, string configPath, byte[] content)
    {
        if (content.Length > MaxConfigBytes)
        {
            var size = content.Length >= LocalHost.MaxFileBytes ? $"at least {content.Length:N0}" : $"{content.Length:N0}";
            throw new WpConfigException("WpConfigTooLarge",
                $"'{configPath}' on {host.ComputerName} is {size} bytes, over the {MaxConfigBytes:N0}-byte limit: a wp-config.php is a few KB, so this is not one. Check the file.");
        }
        if (Array.IndexOf(content, (byte)0) is var nul and >= 0)
            throw new WpConfigException("WpConfigNotText",
                $"'{configPath}' on {host.ComputerName} is not a PHP text file (a NUL byte at offset {nul:N0} of {content.Length:N0} bytes). Check the file.");
    }
}
