using System.Text;
using WpBackup.HelpBuilder.Markdown;

namespace WpBackup.HelpBuilder;

/// <summary>
/// Turns an about topic written in Markdown (<c># about_Name</c>, <c>## SHORT DESCRIPTION</c>,
/// <c>## LONG DESCRIPTION</c>, further <c>##</c> sections and <c>###</c> subsections) into the
/// plain text of <c>about_Name.help.txt</c>, in the classic layout Get-Help expects: the short
/// description is the fifth line, which Get-Help shows as the topic's synopsis.
/// </summary>
public static class AboutTopicWriter
{
    public const int Width = 80;
    private const string Indent = "    ";

    public static bool IsAboutTopic(string path) =>
        System.IO.Path.GetFileName(path).StartsWith("about_", StringComparison.OrdinalIgnoreCase);

    /// <summary>The topic's name (about_X) and its help text.</summary>
    public static (string Name, string Text) Render(MarkdownDocument document)
    {
        var blocks = document.Blocks;
        var fail = (int line, string message) => new HelpSourceException(document.Path, line, message);
        if (blocks.Count == 0 || blocks[0] is not Heading { Level: 1 } title || !title.Text.StartsWith("about_", StringComparison.Ordinal))
            throw fail(1, "An about topic starts with '# about_Name'.");
        var name = title.Text;
        if (!string.Equals(System.IO.Path.GetFileNameWithoutExtension(document.Path), name, StringComparison.OrdinalIgnoreCase))
            throw fail(title.Line, $"The topic {name} belongs in a file named {name}.md.");
        if (blocks.Count < 3 || blocks[1] is not Heading { Level: 2, Text: var first } || !first.Equals("SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase)
            || blocks[2] is not Paragraph shortDescription || (blocks.Count > 3 && blocks[3] is not Heading { Level: 2 }))
            throw fail(title.Line, "An about topic's first section is '## SHORT DESCRIPTION' with one paragraph (Get-Help shows it as the synopsis).");
        if (!blocks.OfType<Heading>().Any(h => h.Level == 2 && h.Text.Equals("LONG DESCRIPTION", StringComparison.OrdinalIgnoreCase)))
            throw fail(title.Line, "An about topic has a '## LONG DESCRIPTION' section.");

        var text = new StringBuilder();
        text.Append("TOPIC\n").Append(Indent).Append(name).Append("\n\n");
        text.Append("SHORT DESCRIPTION\n").Append(Indent).Append(InlineText.ToPlain(shortDescription.Text)).Append('\n');
        foreach (var block in blocks.Skip(3))
        {
            switch (block)
            {
                case Heading { Level: 2 } h:
                    text.Append('\n').Append(InlineText.ToPlain(h.Text).ToUpperInvariant()).Append('\n');
                    break;
                case Heading { Level: 3 } h:
                    text.Append('\n').Append("  ").Append(InlineText.ToPlain(h.Text)).Append('\n');
                    break;
                case Heading h:
                    throw fail(h.Line, "About topics use ## sections and ### subsections only.");
                case Paragraph p:
                    AppendLines(text, TextWrap.Wrap(InlineText.ToPlain(p.Text), Indent, Indent, Width));
                    text.Append('\n');
                    break;
                case ListItem item:
                    var lead = Indent + new string(' ', item.Indent) + item.Marker + " ";
                    AppendLines(text, TextWrap.Wrap(InlineText.ToPlain(item.Text), lead, new string(' ', lead.Length), Width));
                    if (NextIsNotListItem(blocks, block))
                        text.Append('\n');
                    break;
                case CodeBlock code:
                    foreach (var line in code.Text.Split('\n'))
                        text.Append(line.Length == 0 ? "" : Indent + Indent + line).Append('\n');
                    text.Append('\n');
                    break;
                case Table table:
                    text.Append(TableLayout.Render(table, Indent, Width)).Append("\n\n");
                    break;
            }
        }
        // One blank line between blocks, however they ended.
        var lines = new List<string>();
        foreach (var line in text.ToString().Split('\n').Select(l => l.TrimEnd()))
        {
            if (line.Length == 0 && lines.Count > 0 && lines[^1].Length == 0)
                continue;
            lines.Add(line);
        }
        return (name, string.Join("\n", lines).TrimEnd() + "\n");
    }

    private static bool NextIsNotListItem(IReadOnlyList<MarkdownBlock> blocks, MarkdownBlock block)
    {
        var index = IndexOf(blocks, block);
        return index + 1 >= blocks.Count || blocks[index + 1] is not ListItem;
    }

    private static int IndexOf(IReadOnlyList<MarkdownBlock> blocks, MarkdownBlock block)
    {
        for (var i = 0; i < blocks.Count; i++)
        {
            if (ReferenceEquals(blocks[i], block))
                return i;
        }
        return -1;
    }

    private static void AppendLines(StringBuilder text, IEnumerable<string> lines)
    {
        foreach (var line in lines)
            text.Append(line).Append('\n');
    }
}
