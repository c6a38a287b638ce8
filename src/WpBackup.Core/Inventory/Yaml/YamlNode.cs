namespace WpBackup.Core.Inventory.Yaml;

/// <summary>A place in the inventory text: 1-based line and column, 0-based character index.</summary>
public readonly record struct SourceMark(int Line, int Column, int Index)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// A node of a parsed YAML document, with where it is in the text. Aliases stay references to
/// their anchored node (the tree is a DAG, never copied), so a document's size in memory is
/// bounded by its text; <see cref="ExpandedSize"/> says how big it would be written out.
/// </summary>
internal abstract class YamlNode
{
    protected YamlNode(SourceMark start, string? anchor)
    {
        Start = start;
        Anchor = anchor;
    }

    public SourceMark Start { get; }

    /// <summary>Index just past the node's last character (for block collections: past their last child).</summary>
    public int EndIndex { get; set; }

    public string? Anchor { get; }

    /// <summary>Nodes in this subtree with every alias written out; known once the node is complete.</summary>
    public long ExpandedSize { get; set; }

    public bool IsComplete { get; set; }

    /// <summary>The node an alias stands for; the node itself otherwise.</summary>
    public virtual YamlNode Resolved => this;

    /// <summary>"text", "mapping", "list": used in messages about wrong types.</summary>
    public abstract string Kind { get; }
}

internal sealed class YamlScalar(SourceMark start, string? anchor, string value, bool plain) : YamlNode(start, anchor)
{
    public string Value { get; } = value;

    /// <summary>Written without quotes: only such scalars can be numbers, booleans or null.</summary>
    public bool Plain { get; } = plain;

    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Kind => IsNull ? "empty" : "text";
}

internal sealed record YamlPair(YamlScalar Key, YamlNode Value);

internal sealed class YamlMapping(SourceMark start, string? anchor, bool flow) : YamlNode(start, anchor)
{
    public bool Flow { get; } = flow;

    /// <summary>The pairs as written, merge keys (<c>&lt;&lt;</c>) included.</summary>
    public List<YamlPair> Pairs { get; } = [];

    /// <summary>Index of the closing '}' of a flow mapping.</summary>
    public int CloseIndex { get; set; }

    public override string Kind => "mapping";
}

internal sealed class YamlSequence(SourceMark start, string? anchor, bool flow) : YamlNode(start, anchor)
{
    public bool Flow { get; } = flow;

    public List<YamlNode> Items { get; } = [];

    /// <summary>Index of the closing ']' of a flow sequence.</summary>
    public int CloseIndex { get; set; }

    public override string Kind => "list";
}

/// <summary>A use of an anchor (<c>*name</c>): a reference, never a copy.</summary>
internal sealed class YamlAlias(SourceMark start, YamlNode target) : YamlNode(start, null)
{
    public YamlNode Target { get; } = target;

    public override YamlNode Resolved => Target.Resolved;

    public override string Kind => Target.Kind;
}
