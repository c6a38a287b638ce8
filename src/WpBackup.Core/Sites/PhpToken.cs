namespace WpBackup.Core.Sites;

internal enum PhpTokenKind
{
    EndOfFile,
    OpenTag,
    CloseTag,
    Identifier,
    Variable,
    String,
    Number,
    Punctuation,
}

/// <summary>
/// One PHP token. <see cref="Value"/> is the decoded text of a string literal, or null when the
/// string is not a literal (interpolation, heredoc, backticks).
/// </summary>
internal readonly record struct PhpToken(PhpTokenKind Kind, int Start, int End, string? Value = null)
{
    public bool Is(string punctuation) => Kind == PhpTokenKind.Punctuation && Value == punctuation;

    public bool IsWord(string word) =>
        Kind == PhpTokenKind.Identifier && string.Equals(Value, word, StringComparison.OrdinalIgnoreCase);
}
