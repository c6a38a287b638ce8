using System.Globalization;
using System.Text.RegularExpressions;

namespace WpBackup.Cmdlets;

/// <summary>Sizes in bytes as people write them: 1024-based units, as PowerShell's own 10MB literal.</summary>
internal static class Sizes
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];
    private static readonly Regex SizeText = new(@"^(?<number>\d+(\.\d+)?)\s*(?<unit>B|KB|MB|GB|TB)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static string Human(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    /// <summary>'10MB', '1.5 GB', '512kb' or '4096' as bytes; null when the text is none of these.</summary>
    public static long? TryParse(string text)
    {
        var match = SizeText.Match(text.Trim());
        if (!match.Success)
            return null;
        var number = double.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Success ? Array.FindIndex(Units, u => u.Equals(match.Groups["unit"].Value, StringComparison.OrdinalIgnoreCase)) : 0;
        var bytes = number * Math.Pow(1024, unit);
        return bytes >= long.MaxValue ? null : (long)Math.Round(bytes);
    }
}
