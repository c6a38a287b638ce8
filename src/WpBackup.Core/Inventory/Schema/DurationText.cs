using System.Globalization;

namespace WpBackup.Core.Inventory.Schema;

/// <summary>Spans as people write them in a config file: 30 (days), "12h", "30d", "2w", or "1.12:00:00".</summary>
internal static class DurationText
{
    public static TimeSpan? Parse(string text)
    {
        text = text.Trim();
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            switch (char.ToLowerInvariant(text[^1]))
            {
                case 'h': return TimeSpan.FromHours(amount);
                case 'd': return TimeSpan.FromDays(amount);
                case 'w': return TimeSpan.FromDays(7 * amount);
            }
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var days))
            return TimeSpan.FromDays(days);
        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var span) ? span : null;
    }
}
