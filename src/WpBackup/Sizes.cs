using System.Globalization;

namespace WpBackup.Cmdlets;

internal static class Sizes
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];

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
}
