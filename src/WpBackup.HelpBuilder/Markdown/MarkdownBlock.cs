namespace WpBackup.HelpBuilder.Markdown;

/// <summary>One block of a Markdown file, with the 1-based line it starts on.</summary>
public abstract record MarkdownBlock(int Line);

public sealed record Heading(int Line, int Level, string Text) : MarkdownBlock(Line);

/// <summary>A fenced code block; <see cref="Language"/> is the word after the opening fence ("" when none).</summary>
public sealed record CodeBlock(int Line, string Language, string Text) : MarkdownBlock(Line);

/// <summary>Consecutive text lines, joined with single spaces.</summary>
public sealed record Paragraph(int Line, string Text) : MarkdownBlock(Line);

/// <summary>One item of a bulleted ("- ") or numbered ("1. ") list; its continuation lines are joined in.</summary>
public sealed record ListItem(int Line, string Marker, string Text, int Indent) : MarkdownBlock(Line);

/// <summary>A pipe table; the separator row (|---|) is left out.</summary>
public sealed record Table(int Line, IReadOnlyList<IReadOnlyList<string>> Rows) : MarkdownBlock(Line);
