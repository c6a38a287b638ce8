using WpBackup.HelpBuilder.Markdown;

namespace WpBackup.HelpBuilder;

/// <summary>A Markdown table as plain text: aligned columns when they fit the width, else one record per row.</summary>
public static class TableLayout
{
    public static string Render(Table table, string indent, int width = int.MaxValue)
    {
        var rows = table.Rows.Select(r => r.Select(InlineText.ToPlain).ToList()).ToList();
        if (rows.Count == 0)
            return "";
        var columns = rows.Max(r => r.Count);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Count ? r[c].Length : 0)).ToArray();
        if (indent.Length + widths.Sum() + 2 * (columns - 1) <= width)
            return Aligned(rows, widths, indent);
        return Records(rows, columns, indent, width);
    }

    private static string Aligned(List<List<string>> rows, int[] widths, string indent)
    {
        var lines = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            lines.Add(indent + Line(rows[i]));
            if (i == 0)
                lines.Add(indent + Line(widths.Select(w => new string('-', w)).ToList()));
        }
        return string.Join("\n", lines);

        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", Enumerable.Range(0, widths.Length).Select(c => (c < cells.Count ? cells[c] : "").PadRight(widths[c]))).TrimEnd();
    }

    /// <summary>Each row as its first cell, then the other cells below it (labelled with their header when there are several).</summary>
    private static string Records(List<List<string>> rows, int columns, string indent, int width)
    {
        var header = rows[0];
        var lines = new List<string>();
        foreach (var row in rows.Skip(1))
        {
            if (lines.Count > 0)
                lines.Add("");
            lines.Add(indent + (row.Count > 0 ? row[0] : ""));
            for (var c = 1; c < columns; c++)
            {
                var cell = c < row.Count ? row[c] : "";
                var text = columns > 2 && c < header.Count ? $"{header[c]}: {cell}" : cell;
                lines.AddRange(TextWrap.Wrap(text, indent + "    ", indent + "    ", width));
            }
        }
        return string.Join("\n", lines);
    }
}

public static class TextWrap
{
    /// <summary>Word-wraps text to lines of at most <paramref name="width"/> columns; a word longer than a line stays whole.</summary>
    public static List<string> Wrap(string words, string firstIndent, string indent, int width)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder(firstIndent);
        var empty = true;
        foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(indent);
                empty = true;
            }
            if (!empty)
                line.Append(' ');
            line.Append(word);
            empty = false;
        }
        lines.Add(line.ToString());
        return lines;
    }
}
