using System.Globalization;
using System.Management.Automation;

namespace WpBackup.Cmdlets;

/// <summary>Lets an age be given as a TimeSpan, a number of days (30), or text like "12h", "30d", "7.00:00:00".</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TimeSpanOrDaysAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            null or TimeSpan => value,
            int or long or double or decimal => TimeSpan.FromDays(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text => Parse(text.Trim()),
            _ => throw new ArgumentTransformationMetadataException($"'{value}' is not an age; give days (30), '12h', '30d' or a TimeSpan."),
        };
    }

    private static TimeSpan Parse(string text)
    {
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            switch (char.ToLowerInvariant(text[^1]))
            {
                case 'd': return TimeSpan.FromDays(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'w': return TimeSpan.FromDays(7 * amount);
            }
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var days))
            return TimeSpan.FromDays(days);
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
            return span;
        throw new ArgumentTransformationMetadataException($"'{text}' is not an age; give days (30), '12h', '30d', '2w' or a TimeSpan.");
    }
}
