namespace WpBackup.Core.Sites;

/// <summary>The value a wp-config.php statement gives a constant or variable, as far as it can be known without running PHP.</summary>
public sealed class PhpValue
{
    internal PhpValue(string? literal, string expression, bool isConditional)
    {
        Literal = literal;
        Expression = expression;
        IsConditional = isConditional;
    }

    /// <summary>The value when the source is a single literal (string, number, true/false/null); null when computed.</summary>
    public string? Literal { get; }

    /// <summary>The source text of the value, e.g. <c>'wp_'</c> or <c>getenv('WP_DB_PASS')</c>.</summary>
    public string Expression { get; }

    public bool IsLiteral => Literal is not null;

    /// <summary>
    /// The statement may not run: it sits inside a block (if, function, class...), is the body of
    /// an if/else without braces, or follows an <c>or</c>/<c>&amp;&amp;</c>/<c>?</c> in its statement.
    /// </summary>
    public bool IsConditional { get; }
}
