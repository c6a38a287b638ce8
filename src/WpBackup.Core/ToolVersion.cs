namespace WpBackup.Core;

public static class ToolVersion
{
    public static readonly string Current =
        typeof(ToolVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
