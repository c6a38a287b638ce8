using System.Management.Automation;

namespace WpBackup.Tests.Help;

/// <summary>Reading the objects Get-Help returns (PSObjects built from the MAML, nested by element name).</summary>
internal static class HelpObjects
{
    public static object? Get(object? node, string name)
    {
        if (node is PSObject wrapped && wrapped.Properties[name] is { } property)
            return property.Value;
        return null;
    }

    public static object? Path(object? node, params string[] names) => names.Aggregate(node, Get);

    /// <summary>A node that may be one element or an array of them, as a list.</summary>
    public static IReadOnlyList<PSObject> Items(object? node) => node switch
    {
        null => [],
        PSObject { BaseObject: object[] array } => array.Select(PSObject.AsPSObject).ToList(),
        object[] array => array.Select(PSObject.AsPSObject).ToList(),
        PSObject single => [single],
        _ => [PSObject.AsPSObject(node)],
    };

    public static string Text(object? node) => node switch
    {
        null => "",
        PSObject { BaseObject: string s } => s,
        string s => s,
        PSObject o when o.Properties["Text"] is { } text => text.Value?.ToString() ?? "",
        _ => node.ToString() ?? "",
    };

    /// <summary>The text of a description: a list of paragraphs ({ Text = ... }).</summary>
    public static string Paragraphs(object? node) => string.Join("\n", Items(node).Select(Text)).Trim();

    public static string String(object? node, params string[] names) => Text(Path(node, names)).Trim();
}
