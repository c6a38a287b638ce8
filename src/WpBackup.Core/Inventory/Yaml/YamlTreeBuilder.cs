using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace WpBackup.Core.Inventory.Yaml;

/// <summary>
/// Turns inventory text into <see cref="YamlNode"/>s with YamlDotNet's parser, one event at a
/// time, and refuses what a configuration file has no business doing before it costs memory
/// or time: more than one document, explicit tags, complex keys, duplicate keys, nesting deeper
/// than <see cref="MaxDepth"/>, an alias to a node that contains it, and documents whose
/// aliases would expand to more than <see cref="MaxExpandedNodes"/> nodes ("billion laughs").
/// Aliases are kept as references, so memory grows with the text, never with the expansion.
/// </summary>
internal sealed class YamlTreeBuilder
{
    /// <summary>Far above any real inventory (a thousand sites are some 20,000 nodes), far below trouble.</summary>
    public const long MaxExpandedNodes = 100_000;

    public const int MaxDepth = 64;

    private readonly string _path;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    private readonly Stack<Frame> _open = new();
    private long _expanded;
    private YamlNode? _root;

    private YamlTreeBuilder(string path) => _path = path;

    /// <summary>The document's root node, or null when it is empty (only comments or nothing).</summary>
    /// <exception cref="InventoryException">The text is not YAML, or is refused for one of the reasons above.</exception>
    public static YamlNode? Build(string text, string path)
    {
        var builder = new YamlTreeBuilder(path);
        var parser = new Parser(new StringReader(text));
        var documents = 0;
        var last = YamlDotNet.Core.Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var e = parser.Current!;
                last = e.End;
                switch (e)
                {
                    case DocumentStart when ++documents > 1:
                        throw builder.Error(InventoryErrors.Syntax, e.Start, "an inventory is one YAML document; remove the second '---' and what follows, or merge it into the first.");
                    case Scalar scalar:
                        builder.Add(new YamlScalar(Mark(scalar.Start), AnchorOf(scalar), scalar.Value, scalar.Style == ScalarStyle.Plain) { EndIndex = (int)scalar.End.Index }, scalar);
                        break;
                    case MappingStart start:
                        builder.Open(new YamlMapping(Mark(start.Start), AnchorOf(start), start.Style == MappingStyle.Flow), start);
                        break;
                    case SequenceStart start:
                        builder.Open(new YamlSequence(Mark(start.Start), AnchorOf(start), start.Style == SequenceStyle.Flow), start);
                        break;
                    case MappingEnd or SequenceEnd:
                        builder.Close(e);
                        break;
                    case AnchorAlias alias:
                        builder.AddAlias(alias);
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw builder.Error(InventoryErrors.Syntax, e.Start, $"this is not valid YAML: {Sentence(e.Message)}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these on some malformed input (an unclosed flow collection).
            throw builder.Error(InventoryErrors.Syntax, last, "this is not valid YAML near here (an unclosed '[', '{' or quote?).", e);
        }
        return builder._root;
    }

    private void Open(YamlNode node, NodeEvent e)
    {
        Add(node, e);
        if (_open.Count >= MaxDepth)
            throw Error(InventoryErrors.TooComplex, e.Start, $"the document nests deeper than {MaxDepth} levels; an inventory never needs that.");
        _open.Push(new Frame(node));
    }

    private void Close(ParsingEvent e)
    {
        var frame = _open.Pop();
        var node = frame.Node;
        long size = 1;
        switch (node)
        {
            case YamlMapping map:
                if (frame.PendingKey is not null)
                    throw Error(InventoryErrors.Syntax, e.Start, $"the key '{frame.PendingKey.Value}' has no value.");
                foreach (var pair in map.Pairs)
                    size += 1 + pair.Value.ExpandedSize;
                if (map.Flow)
                    map.CloseIndex = (int)e.Start.Index;
                map.EndIndex = map.Flow ? (int)e.Start.Index + 1 : map.Pairs.Count > 0 ? map.Pairs[^1].Value.EndIndex : map.Start.Index;
                break;
            case YamlSequence seq:
                foreach (var item in seq.Items)
                    size += item.ExpandedSize;
                if (seq.Flow)
                    seq.CloseIndex = (int)e.Start.Index;
                seq.EndIndex = seq.Flow ? (int)e.Start.Index + 1 : seq.Items.Count > 0 ? seq.Items[^1].EndIndex : seq.Start.Index;
                break;
        }
        node.ExpandedSize = size;
        node.IsComplete = true;
        // A block mapping's pairs may end past an empty value's mark: keep the furthest end.
        if (node is YamlMapping { Flow: false } m)
            m.EndIndex = Math.Max(m.EndIndex, m.Pairs.Select(p => Math.Max(p.Key.EndIndex, p.Value.EndIndex)).DefaultIfEmpty(m.Start.Index).Max());
    }

    private void AddAlias(AnchorAlias alias)
    {
        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
            throw Error(InventoryErrors.Syntax, alias.Start, $"the alias '*{alias.Value.Value}' names no anchor defined before it ('&{alias.Value.Value}').");
        if (!target.IsComplete)
            throw Error(InventoryErrors.TooComplex, alias.Start, $"the alias '*{alias.Value.Value}' is inside the node it stands for: it would never end.");
        var node = new YamlAlias(Mark(alias.Start), target) { EndIndex = (int)alias.End.Index, ExpandedSize = target.ExpandedSize, IsComplete = true };
        Attach(node, alias.Start, countedAs: target.ExpandedSize);
    }

    private void Add(YamlNode node, NodeEvent e)
    {
        if (!e.Tag.IsEmpty && !e.Tag.IsNonSpecific)
            throw Error(InventoryErrors.Syntax, e.Start, $"YAML tags such as '{e.Tag.Value}' are not used in an inventory; write the value alone.");
        if (node is YamlScalar)
        {
            node.ExpandedSize = 1;
            node.IsComplete = true;
        }
        if (node.Anchor is not null)
            _anchors[node.Anchor] = node;
        Attach(node, e.Start, countedAs: 1);
    }

    private void Attach(YamlNode node, YamlDotNet.Core.Mark at, long countedAs)
    {
        _expanded += countedAs;
        if (_expanded > MaxExpandedNodes)
            throw Error(InventoryErrors.TooComplex, at,
                $"the document would expand to more than {MaxExpandedNodes:N0} nodes through its aliases (an alias bomb?); it is refused. Use fewer nested aliases.");
        if (_open.Count == 0)
        {
            _root = node;
            return;
        }
        var frame = _open.Peek();
        switch (frame.Node)
        {
            case YamlSequence seq:
                seq.Items.Add(node);
                break;
            case YamlMapping map when frame.PendingKey is null:
                if (node is not YamlScalar key)
                    throw Error(InventoryErrors.Syntax, at, "a key must be plain text, not a list, mapping or alias.");
                frame.PendingKey = key;
                break;
            case YamlMapping map:
                var pending = frame.PendingKey!;
                frame.PendingKey = null;
                if (!IsMergeKey(pending) && map.Pairs.FirstOrDefault(p => !IsMergeKey(p.Key) && p.Key.Value == pending.Value) is { } first)
                    throw Error(InventoryErrors.DuplicateKey, pending.Start,
                        $"the key '{pending.Value}' appears twice in one mapping (first on line {first.Key.Start.Line}); keep one.");
                map.Pairs.Add(new YamlPair(pending, node));
                break;
        }
    }

    internal static bool IsMergeKey(YamlScalar key) => key.Plain && key.Value == "<<";

    private InventoryException Error(string id, YamlDotNet.Core.Mark at, string message, Exception? inner = null) =>
        Error(id, Mark(at), message, inner);

    private InventoryException Error(string id, SourceMark at, string message, Exception? inner = null) =>
        new(id, _path, at, null, message, inner);

    private static SourceMark Mark(YamlDotNet.Core.Mark m) => new((int)m.Line, (int)m.Column, (int)m.Index);

    private static string? AnchorOf(NodeEvent e) => e.Anchor.IsEmpty ? null : e.Anchor.Value;

    private static string Sentence(string message)
    {
        var text = message.Trim();
        if (text.Length > 0)
            text = char.ToLowerInvariant(text[0]) + text[1..];
        return text.EndsWith('.') ? text : text + ".";
    }

    private sealed class Frame(YamlNode node)
    {
        public YamlNode Node { get; } = node;
        public YamlScalar? PendingKey { get; set; }
    }
}
