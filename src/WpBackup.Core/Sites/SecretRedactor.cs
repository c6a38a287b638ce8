using System.Text;

namespace WpBackup.Core.Sites;

/// <summary>
/// Makes the source of a secret's value safe to show: string and number literals become ***,
/// except names read from the environment (getenv('X'), env('X'), $_ENV['X'], $_SERVER['X']),
/// and comments are dropped. getenv_docker('WORDPRESS_DB_PASSWORD', 'example') shows which
/// variable is read without showing its default.
/// </summary>
internal static class SecretRedactor
{
    private static readonly HashSet<string> EnvironmentReaders = new(StringComparer.OrdinalIgnoreCase)
        { "getenv", "env", "getenv_docker", "$_ENV", "$_SERVER" };

    public static string Redact(string expression)
    {
        var tokenizer = new PhpTokenizer(expression, startInPhp: true);
        var shown = new StringBuilder();
        PhpToken beforeLast = default, last = default;
        int gapStart = 0;
        for (PhpToken token = tokenizer.Next(); token.Kind != PhpTokenKind.EndOfFile; token = tokenizer.Next())
        {
            if (token.Start > gapStart && shown.Length > 0)
            {
                shown.Append(' ');
            }
            bool namesVariable = (last.Is("(") || last.Is("[")) && beforeLast.Value is { } reader
                                 && beforeLast.Kind is PhpTokenKind.Identifier or PhpTokenKind.Variable
                                 && EnvironmentReaders.Contains(reader);
            shown.Append(token.Kind switch
            {
                PhpTokenKind.String when !namesVariable => "'***'",
                PhpTokenKind.Number => "***",
                _ => expression.AsSpan(token.Start, token.End - token.Start),
            });
            beforeLast = last;
            last = token;
            gapStart = token.End;
        }
        return shown.ToString();
    }
}
