using WpBackup.Core.Errors;

namespace WpBackup.Core.Retention;

/// <summary>Turns what a user types for a time zone into a <see cref="TimeZoneInfo"/>.</summary>
public static class RetentionTimeZone
{
    /// <summary>
    /// "Local" (the machine's zone: on Linux $TZ, else /etc/localtime), "UTC", or any id the
    /// system knows: IANA ("Europe/Berlin") or Windows ("W. Europe Standard Time").
    /// </summary>
    public static TimeZoneInfo Resolve(string name)
    {
        var text = name.Trim();
        if (text.Equals("Local", StringComparison.OrdinalIgnoreCase))
            return TimeZoneInfo.Local;
        if (text.Equals("UTC", StringComparison.OrdinalIgnoreCase) || text == "Z")
            return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(text);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new WpBackupException(FailureKind.InvalidArgument, "TimeZoneNotFound",
                $"Unknown time zone '{name}'. Give an IANA id such as 'Europe/Berlin' or 'America/New_York', a Windows id, 'UTC' or 'Local'.", e);
        }
    }
}
