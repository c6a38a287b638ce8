using System.Text.RegularExpressions;

namespace WpBackup.HelpBuilder.Markdown;

/// <summary>
/// The subset of Markdown the help files use: an optional YAML front matter, ATX headings,
/// fenced code blocks, paragraphs, bulleted and numbered lists, and pipe tables.
/// </summary>
public sealed partial class MarkdownDocument
{
    private MarkdownDocument(string path, IReadOnlyDictionary<string, string> frontMatter, IReadOnlyList<MarkdownBlock> blocks)
    {
        Path = path;
        FrontMatter = frontMatter;
        Blocks = blocks;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    public IReadOnlyList<MarkdownBlock> Blocks { get; }

    public static MarkdownDocument Load(string path) => Parse(path, File.ReadAllText(path));

    public static MarkdownDocument Parse(string path, string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var index = 0;
        var frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            index = 1;
            while (index < lines.Length && lines[index].Trim() != "---")
            {
                var colon = lines[index].IndexOf(':');
                if (colon > 0)
                    frontMatter[lines[index][..colon].Trim()] = lines[index][(colon + 1)..].Trim();
                index++;
            }
            if (index == lines.Length)
                throw new HelpSourceException(path, 1, "The front matter that starts with '---' has no closing '---' line.");
            index++;
        }

        var blocks = new List<MarkdownBlock>();
        while (index < lines.Length)
        {
            var line = lines[index];
            if (string.IsNullOrWhiteSpace(line))
            {
                index++;
                continue;
            }
            var start = index + 1;
            if (Fence().Match(line) is { Success: true } fence)
            {
                var indent = fence.Groups["indent"].Value.Length;
                var marker = fence.Groups["fence"].Value;
                var body = new List<string>();
                index++;
                while (index < lines.Length && !lines[index].TrimStart().StartsWith(marker, StringComparison.Ordinal))
                {
                    var codeLine = lines[index];
                    var strip = Math.Min(indent, codeLine.Length - codeLine.TrimStart().Length);
                    body.Add(codeLine[strip..].TrimEnd());
                    index++;
                }
                if (index == lines.Length)
                    throw new HelpSourceException(path, start, "This code block has no closing fence.");
                index++;
                blocks.Add(new CodeBlock(start, fence.Groups["lang"].Value.Trim(), string.Join("\n", body)));
                continue;
            }
            if (HeadingLine().Match(line) is { Success: true } heading)
            {
                blocks.Add(new Heading(start, heading.Groups["hashes"].Value.Length, heading.Groups["text"].Value.Trim()));
                index++;
                continue;
            }
            if (line.TrimStart().StartsWith('|'))
            {
                var rows = new List<IReadOnlyList<string>>();
                while (index < lines.Length && lines[index].TrimStart().StartsWith('|'))
                {
                    var cells = SplitRow(lines[index]);
                    if (!cells.All(c => TableSeparator().IsMatch(c)))
                        rows.Add(cells);
                    index++;
                }
                blocks.Add(new Table(start, rows));
                continue;
            }
            if (ListMarker().Match(line) is { Success: true } item)
            {
                var itemText = new List<string> { item.Groups["text"].Value.Trim() };
                var itemIndent = item.Groups["indent"].Value.Length;
                index++;
                while (index < lines.Length && !string.IsNullOrWhiteSpace(lines[index]) && !StartsBlock(lines[index]))
                {
                    itemText.Add(lines[index].Trim());
                    index++;
                }
                blocks.Add(new ListItem(start, item.Groups["marker"].Value, string.Join(" ", itemText), itemIndent));
                continue;
            }
            var paragraph = new List<string>();
            while (index < lines.Length && !string.IsNullOrWhiteSpace(lines[index]) && (paragraph.Count == 0 || !StartsBlock(lines[index])))
            {
                paragraph.Add(lines[index].Trim());
                index++;
            }
            blocks.Add(new Paragraph(start, string.Join(" ", paragraph)));
        }
        return new MarkdownDocument(path, frontMatter, blocks);
    }

    private static bool StartsBlock(string line) =>
        Fence().IsMatch(line) || HeadingLine().IsMatch(line) || ListMarker().IsMatch(line) || line.TrimStart().StartsWith('|');

    private static List<string> SplitRow(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith('|'))
            trimmed = trimmed[1..];
        if (trimmed.EndsWith('|') && !trimmed.EndsWith("\\|", StringComparison.Ordinal))
            trimmed = trimmed[..^1];
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var inCode = false;
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c == '\\' && i + 1 < trimmed.Length && trimmed[i + 1] == '|')
            {
                cell.Append('|');
                i++;
            }
            else if (c == '`')
            {
                inCode = !inCode;
                cell.Append(c);
            }
            else if (c == '|' && !inCode)
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else
                cell.Append(c);
        }
        cells.Add(cell.ToString().Trim());
        return cells;
    }

    [GeneratedRegex(@"^(?<indent>\s*)(?<fence>```+)(?<lang>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^(?<hashes>#{1,6})\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^(?<indent>\s*)(?<marker>[-*+]|\d+\.)\s+(?<text>.*)$")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"^:?-{3,}:?$")]
    private static partial Regex TableSeparator();
}
