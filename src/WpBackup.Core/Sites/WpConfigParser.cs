namespace WpBackup.Core.Sites;

/// <summary>
/// Reads the constants, <c>$table_prefix</c> and includes of a wp-config.php without running PHP.
/// Never throws on bad input: PHP that does not parse yields whatever could be recognised.
/// </summary>
public static class WpConfigParser
{
    public static WpConfig Parse(string phpText) => new Walker(phpText ?? "").Run();

    private sealed class Walker(string text)
    {
        private static readonly HashSet<string> IncludeWords = new(StringComparer.OrdinalIgnoreCase)
            { "require", "require_once", "include", "include_once" };

        private static readonly HashSet<string> ControlWords = new(StringComparer.OrdinalIgnoreCase)
            { "if", "elseif", "while", "for", "foreach", "switch" };

        private static readonly HashSet<string> AlternativeEndWords = new(StringComparer.OrdinalIgnoreCase)
            { "endif", "endwhile", "endfor", "endforeach", "endswitch" };

        private readonly PhpTokenizer _tokenizer = new(text);
        private readonly Dictionary<string, PhpValue> _constants = new(StringComparer.Ordinal);
        private readonly List<string> _definedMoreThanOnce = [];
        private readonly HashSet<string> _repeated = new(StringComparer.Ordinal);
        private readonly List<string> _includes = [];
        private readonly List<string> _computedIncludes = [];
        private PhpValue? _tablePrefix;
        private PhpToken? _peeked;
        private PhpToken _last = new(PhpTokenKind.OpenTag, 0, 0);
        private int _braceDepth;
        private int _alternativeDepth; // open "if (...):" ... "endif;" blocks

        public WpConfig Run()
        {
            while (true)
            {
                PhpToken before = _last;
                PhpToken token = Next();
                if (token.Kind == PhpTokenKind.EndOfFile)
                {
                    return new WpConfig(_constants, _tablePrefix, _includes, _computedIncludes, _definedMoreThanOnce);
                }
                Handle(token, before);
            }
        }

        private void Handle(PhpToken token, PhpToken before)
        {
            if (token.Is("{"))
            {
                _braceDepth++;
            }
            else if (token.Is("}"))
            {
                _braceDepth = Math.Max(0, _braceDepth - 1);
            }
            else if (token.Kind == PhpTokenKind.Variable && token.Value == "$table_prefix")
            {
                ReadTablePrefix(token, IsConditional(before));
            }
            else if (token.Kind != PhpTokenKind.Identifier || IsMemberOrDeclaredName(before))
            {
                return;
            }
            else if (token.IsWord("define") && Peek().Is("("))
            {
                ReadDefine(IsConditional(before));
            }
            else if (token.IsWord("const") && IsStatementStart(before) && _braceDepth == 0)
            {
                ReadConst();
            }
            else if (IncludeWords.Contains(token.Value!))
            {
                ReadInclude();
            }
            else if (ControlWords.Contains(token.Value!) && Peek().Is("("))
            {
                SkipParenthesized();
                if (Peek().Is(":") && !token.IsWord("elseif"))
                {
                    _alternativeDepth++;
                }
            }
            else if (AlternativeEndWords.Contains(token.Value!))
            {
                _alternativeDepth = Math.Max(0, _alternativeDepth - 1);
            }
        }

        private PhpToken Next()
        {
            PhpToken token = _peeked ?? _tokenizer.Next();
            _peeked = null;
            if (!token.Is("@"))
            {
                _last = token;
            }
            return token;
        }

        private PhpToken Peek() => _peeked ??= _tokenizer.Next();

        private static bool IsStatementStart(PhpToken before) =>
            before.Kind is PhpTokenKind.OpenTag or PhpTokenKind.CloseTag || before.Is(";") || before.Is("{") || before.Is("}");

        /// <summary>Whether PHP may skip a statement that starts after <paramref name="before"/>.</summary>
        private bool IsConditional(PhpToken before) => _braceDepth > 0 || _alternativeDepth > 0 || !IsStatementStart(before);

        private static bool IsMemberOrDeclaredName(PhpToken before) =>
            before.Is("->") || before.Is("?->") || before.Is("::") || before.IsWord("function") || before.IsWord("new");

        private void ReadDefine(bool conditional)
        {
            Next(); // (
            var name = ReadExpression(out PhpToken end);
            if (!end.Is(","))
            {
                return;
            }
            var value = ReadExpression(out end);
            while (end.Is(","))
            {
                ReadExpression(out end); // the long-deprecated case_insensitive flag
            }
            if (end.Is(")") && name.Count == 1 && name.First.Kind == PhpTokenKind.String && name.First.Value is { } constant
                && value.Count > 0)
            {
                AddConstant(constant, value.ToValue(text, conditional));
            }
        }

        private void ReadConst()
        {
            PhpToken end;
            do
            {
                PhpToken name = Next();
                if (name.Kind != PhpTokenKind.Identifier || !Next().Is("="))
                {
                    return;
                }
                var value = ReadExpression(out end);
                if (value.Count > 0)
                {
                    AddConstant(name.Value!, value.ToValue(text, conditional: false));
                }
            }
            while (end.Is(","));
        }

        private void AddConstant(string name, PhpValue value)
        {
            if (!_constants.TryAdd(name, value) && _repeated.Add(name))
            {
                _definedMoreThanOnce.Add(name);
            }
        }

        private void ReadTablePrefix(PhpToken variable, bool conditional)
        {
            PhpToken op = Peek();
            bool assigns = op.Is("=");
            bool compound = op.Kind == PhpTokenKind.Punctuation && op.Value!.Length >= 2 && op.Value.EndsWith('=')
                            && op.Value is not ("==" or "===" or "!=" or "!==" or "<=" or ">=");
            if (!assigns && !compound)
            {
                return;
            }
            Next();
            var value = ReadExpression(out _);
            if (value.Count == 0)
            {
                return;
            }
            _tablePrefix = assigns
                ? value.ToValue(text, conditional)
                : new PhpValue(null, text[variable.Start..value.Last.End], conditional);
        }

        private void ReadInclude()
        {
            var path = ReadExpression(out _);
            if (path.Count == 0)
            {
                return;
            }
            string expression = path.InnerText(text);
            if (expression.Contains("wp-settings.php", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
            if (path.Literal() is { } literal)
            {
                _includes.Add(literal);
            }
            else
            {
                _computedIncludes.Add(expression);
            }
        }

        private void SkipParenthesized()
        {
            int depth = 0;
            do
            {
                PhpToken token = Next();
                if (token.Kind == PhpTokenKind.EndOfFile)
                {
                    return;
                }
                depth += token.Is("(") ? 1 : token.Is(")") ? -1 : 0;
            }
            while (depth > 0);
        }

        /// <summary>
        /// Reads tokens up to a comma or closing parenthesis that is not nested, a semicolon that
        /// is not inside braces, ?&gt; or the end of the text; <paramref name="end"/> is that token.
        /// </summary>
        private Expression ReadExpression(out PhpToken end)
        {
            var expression = new Expression();
            int depth = 0;
            int braces = 0; // a closure's body may hold semicolons
            while (true)
            {
                PhpToken token = Peek();
                if (token.Kind is PhpTokenKind.EndOfFile or PhpTokenKind.CloseTag
                    || (token.Is(";") && braces == 0) || (depth == 0 && (token.Is(",") || token.Is(")"))))
                {
                    end = token;
                    if (token.Kind is not (PhpTokenKind.EndOfFile or PhpTokenKind.CloseTag))
                    {
                        Next();
                    }
                    return expression;
                }
                Next();
                if (token.Is("(") || token.Is("[") || token.Is("{"))
                {
                    depth++;
                    braces += token.Is("{") ? 1 : 0;
                }
                else if (token.Is(")") || token.Is("]") || token.Is("}"))
                {
                    depth = Math.Max(0, depth - 1);
                    braces = Math.Max(0, braces - (token.Is("}") ? 1 : 0));
                }
                expression.Add(token, depth);
            }
        }
    }

    /// <summary>The tokens of one expression: their count and the few needed to spot a literal.</summary>
    private sealed class Expression
    {
        private int _firstBackAtTopLevel = -1;

        public int Count { get; private set; }
        public PhpToken First { get; private set; }
        public PhpToken Second { get; private set; }
        public PhpToken BeforeLast { get; private set; }
        public PhpToken Last { get; private set; }

        /// <summary>The whole expression is in one pair of parentheses, as in require_once('path').</summary>
        private bool IsParenthesized => Count >= 3 && First.Is("(") && _firstBackAtTopLevel == Count - 1;

        public void Add(PhpToken token, int depthAfter)
        {
            if (Count == 0) First = token;
            if (Count == 1) Second = token;
            if (Count > 0) BeforeLast = Last;
            Last = token;
            Count++;
            if (depthAfter == 0 && _firstBackAtTopLevel < 0)
            {
                _firstBackAtTopLevel = Count - 1;
            }
        }

        public PhpValue ToValue(string text, bool conditional) => new(Literal(), text[First.Start..Last.End], conditional);

        /// <summary>The source text without parentheses around the whole.</summary>
        public string InnerText(string text) =>
            IsParenthesized ? text[Second.Start..BeforeLast.End] : text[First.Start..Last.End];

        public string? Literal()
        {
            var (count, first, second) = IsParenthesized ? (Count - 2, Second, BeforeLast) : (Count, First, Second);
            return count switch
            {
                1 => LiteralOf(first),
                2 when (first.Is("-") || first.Is("+")) && second.Kind == PhpTokenKind.Number => first.Value + second.Value,
                _ => null,
            };
        }

        private static string? LiteralOf(PhpToken token) => token.Kind switch
        {
            PhpTokenKind.String or PhpTokenKind.Number => token.Value,
            PhpTokenKind.Identifier when token.IsWord("true") || token.IsWord("false") || token.IsWord("null")
                => token.Value!.ToLowerInvariant(),
            _ => null,
        };
    }
}
