using System.Text;
using System.Text.RegularExpressions;

namespace WpBackup.Core.Inventory.Yaml;

/// <summary>Writes text values for YAML: plain when that reads back as the same text, else double-quoted.</summary>
internal static partial class YamlScalarText
{
    public static string Write(string value)
    {
        if (Safe().IsMatch(value) && !Reserved().IsMatch(value) && !Number().IsMatch(value))
            return value;
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\t': quoted.Append("\\t"); break;
                case '\r': quoted.Append("\\r"); break;
                default:
                    if (char.IsControl(c))
                        quoted.Append($"\\u{(int)c:X4}");
                    else
                        quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }

    /// <summary>A flow list: <c>[a, "b c"]</c>.</summary>
    public static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Write)) + "]";

    [GeneratedRegex(@"^[A-Za-z0-9_/.~][A-Za-z0-9_/.~@+=-]*$")]
    private static partial Regex Safe();

    [GeneratedRegex("^(?i:y|n|yes|no|true|false|on|off|null|~)$")]
    private static partial Regex Reserved();

    [GeneratedRegex(@"^[-+]?(\.?[0-9][0-9_.eE+-]*|0x[0-9a-fA-F_]+|0o[0-7_]+|\.inf|\.nan)$", RegexOptions.IgnoreCase)]
    private static partial Regex Number();
}
