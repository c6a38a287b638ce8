using System.Globalization;
using WpBackup.Core.Inventory.Yaml;

namespace WpBackup.Core.Inventory.Schema;

/// <summary>
/// Typed, checked access to one mapping of the inventory. Merge keys (<c>&lt;&lt;: *anchor</c>)
/// are applied (keys written in the mapping win), every read checks the value's type, and
/// <see cref="RejectUnknown"/> turns any key nobody asked for into an error: a typo must never
/// silently switch a setting off.
/// </summary>
internal sealed class MappingReader
{
    private readonly Dictionary<string, YamlPair> _entries = new(StringComparer.Ordinal);

    private MappingReader(InventoryContext context, YamlNode? node, string keyPath, string what)
    {
        Context = context;
        Node = node;
        KeyPath = keyPath;
        What = what;
        if (node?.Resolved is YamlMapping map)
            Collect(map, node);
    }

    public InventoryContext Context { get; }

    /// <summary>The mapping (null when the key was empty or absent).</summary>
    public YamlNode? Node { get; }

    public string KeyPath { get; }

    /// <summary>What the mapping is, for messages: "site 'example.com'", "defaults".</summary>
    public string What { get; }

    public IEnumerable<YamlPair> Entries => _entries.Values;

    public SourceMark Start => Node?.Start ?? new SourceMark(1, 1, 0);

    /// <summary>A reader over <paramref name="node"/>, which must be a mapping or empty.</summary>
    public static MappingReader Of(InventoryContext context, YamlNode? node, string keyPath, string what)
    {
        if (node is not null && node.Resolved is not YamlMapping && !(node.Resolved is YamlScalar { IsNull: true }))
            throw context.Error(InventoryErrors.WrongType, node, keyPath, $"{Describe(keyPath, what)} must be a mapping (key: value lines), not {Article(node)}.");
        return new MappingReader(context, node, keyPath, what);
    }

    public bool Has(string key) => Value(key) is not null;

    /// <summary>The value of a key, null when absent or written empty (<c>key:</c>, <c>~</c>, <c>null</c>).</summary>
    public YamlNode? Value(string key) =>
        _entries.TryGetValue(key, out var pair) && !(pair.Value.Resolved is YamlScalar { IsNull: true }) ? pair.Value : null;

    public YamlScalar? KeyNode(string key) => _entries.TryGetValue(key, out var pair) ? pair.Key : null;

    public string Path(string key) => KeyPath.Length == 0 ? key : $"{KeyPath}.{key}";

    public string? Text(string key)
    {
        var node = Value(key);
        return node is null ? null
            : node.Resolved is YamlScalar scalar ? scalar.Value
            : throw WrongType(key, node, "text");
    }

    public string RequiredText(string key, string hint) =>
        Text(key) is { Length: > 0 } text ? text
            : throw Context.Error(InventoryErrors.MissingKey, KeyNode(key)?.Start ?? Start, Path(key), $"{What} has no '{key}'; {hint}");

    public int? Int(string key, int min, int max)
    {
        var node = Value(key);
        if (node is null)
            return null;
        if (node.Resolved is not YamlScalar { Plain: true } scalar
            || !int.TryParse(scalar.Value.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw WrongType(key, node, $"a whole number from {min} to {max}");
        if (value < min || value > max)
            throw Context.Error(InventoryErrors.InvalidValue, node, Path(key), $"'{key}' in {What} must be from {min} to {max}; it is {value}.");
        return value;
    }

    public bool? Bool(string key)
    {
        var node = Value(key);
        if (node is null)
            return null;
        return node.Resolved is YamlScalar { Plain: true } scalar && bool.TryParse(scalar.Value, out var value) ? value
            : throw WrongType(key, node, "true or false");
    }

    /// <summary>A list of text; a single text value counts as a list of one.</summary>
    public List<Located<string>>? TextList(string key)
    {
        var node = Value(key);
        if (node is null)
            return null;
        switch (node.Resolved)
        {
            case YamlScalar scalar:
                return [new(scalar.Value, node.Start)];
            case YamlSequence seq:
                var list = new List<Located<string>>();
                foreach (var item in seq.Items)
                {
                    if (item.Resolved is not YamlScalar { IsNull: false } text)
                        throw Context.Error(InventoryErrors.WrongType, item, Path(key), $"every item of '{key}' in {What} must be text, not {Article(item)}.");
                    list.Add(new(text.Value, item.Start));
                }
                return list;
            default:
                throw WrongType(key, node, "text or a list of text");
        }
    }

    public MappingReader Map(string key, string what)
    {
        var node = Value(key);
        return Of(Context, node, Path(key), what);
    }

    /// <summary>Throws for the first key that is not one of <paramref name="known"/>.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (var pair in _entries.Values.OrderBy(p => p.Key.Start.Index))
        {
            if (known.Contains(pair.Key.Value, StringComparer.Ordinal))
                continue;
            var suggestion = Suggest(pair.Key.Value, known);
            throw Context.Error(InventoryErrors.UnknownKey, pair.Key, Path(pair.Key.Value),
                $"unknown key '{pair.Key.Value}' in {What}.{(suggestion is null ? "" : $" Did you mean '{suggestion}'?")} Known keys here: {string.Join(", ", known)}.");
        }
    }

    public InventoryException WrongType(string key, YamlNode node, string expected) =>
        Context.Error(InventoryErrors.WrongType, node, Path(key), $"'{key}' in {What} must be {expected}, not {Article(node)}.");

    public static string Article(YamlNode node) => node.Resolved switch
    {
        YamlScalar { IsNull: true } => "empty",
        YamlScalar s => $"'{Shorten(s.Value)}'",
        YamlMapping => "a mapping",
        YamlSequence => "a list",
        _ => node.Kind,
    };

    private static string Describe(string keyPath, string what) => what.Length > 0 ? what : $"'{keyPath}'";

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    /// <summary>The mapping's own keys, then those merged in with <c>&lt;&lt;</c> (first source first) where not already set.</summary>
    private void Collect(YamlMapping map, YamlNode at)
    {
        foreach (var pair in map.Pairs.Where(p => !YamlTreeBuilder.IsMergeKey(p.Key)))
            _entries.TryAdd(pair.Key.Value, pair);
        foreach (var merge in map.Pairs.Where(p => YamlTreeBuilder.IsMergeKey(p.Key)))
        {
            var sources = merge.Value.Resolved switch
            {
                YamlMapping m => [m],
                YamlSequence s when s.Items.All(i => i.Resolved is YamlMapping) => s.Items.Select(i => (YamlMapping)i.Resolved).ToList(),
                _ => throw Context.Error(InventoryErrors.WrongType, merge.Value, KeyPath, "a merge key '<<' takes a mapping or a list of mappings (usually '*anchor')."),
            };
            foreach (var source in sources)
                Collect(source, at);
        }
    }

    private static string? Suggest(string typo, IEnumerable<string> known)
    {
        var best = known.Select(k => (Key: k, Distance: Distance(typo.ToLowerInvariant(), k.ToLowerInvariant()))).MinBy(k => k.Distance);
        return best.Key is not null && best.Distance <= Math.Max(1, best.Key.Length / 3) ? best.Key : null;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}

/// <summary>A value and where it was written.</summary>
internal readonly record struct Located<T>(T Value, SourceMark At);
