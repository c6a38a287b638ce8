using WpBackup.Core.Errors;

namespace WpBackup.Core.Sites;

/// <summary>Reads a site's wp-config.php from disk into database settings.</summary>
public static class WpConfigFile
{
    /// <summary>Real wp-config files are a few KB; anything past this is not read.</summary>
    public const int MaxBytes = 4 << 20;

    public static DatabaseSettings ReadDatabaseSettings(string configPath)
    {
        string text;
        try
        {
            using var stream = File.OpenRead(configPath);
            var buffer = new byte[Math.Min(stream.Length, MaxBytes)];
            stream.ReadExactly(buffer);
            text = System.Text.Encoding.UTF8.GetString(buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WpConfigException("WpConfigUnreadable",
                $"Cannot read '{configPath}': {e.Message} Run as a user who can read the site's wp-config.php.", e);
        }
        return WpConfigParser.Parse(text).ToDatabaseSettings(configPath);
    }
}
