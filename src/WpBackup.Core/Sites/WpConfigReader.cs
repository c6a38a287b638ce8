using WpBackup.Core.Errors;
using WpBackup.Core.Hosts;

namespace WpBackup.Core.Sites;

/// <summary>Reads a site's wp-config.php on its host into database settings.</summary>
public static class WpConfigReader
{
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
        return content is null
            ? throw new WpConfigException("WpConfigUnreadable", $"'{configPath}' does not exist on {host.ComputerName}.")
            : WpConfigParser.Parse(System.Text.Encoding.UTF8.GetString(content)).ToDatabaseSettings(configPath);
    }
}
