using System.Text;

namespace WpBackup.Core.Database;

/// <summary>Quoting of values and names for the few SQL statements the engine writes itself.</summary>
public static class SqlText
{
    public static string Literal(string value)
    {
        var text = new StringBuilder("'");
        foreach (var c in value)
            text.Append(c switch { '\'' => "''", '\\' => "\\\\", '\0' => "\\0", _ => c.ToString() });
        return text.Append('\'').ToString();
    }

    public static string Identifier(string name) => "`" + name.Replace("`", "``") + "`";
}
