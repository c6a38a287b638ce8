using System.Globalization;
using System.Text.RegularExpressions;
using WpBackup.HelpBuilder.Markdown;

namespace WpBackup.HelpBuilder;

/// <summary>
/// Reads a cmdlet's platyPS-style Markdown file (schema 2.0: SYNOPSIS, SYNTAX, DESCRIPTION,
/// EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS) into a <see cref="CommandHelp"/>,
/// refusing a file that misses a section or a parameter attribute, or whose SYNTAX names a
/// parameter that PARAMETERS does not describe for that parameter set.
/// </summary>
public static partial class CommandHelpReader
{
    public static readonly string[] Sections = ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    private static readonly string[] ParameterKeys =
        ["Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters"];

    /// <summary>Whether a Markdown file is cmdlet help (platyPS front matter naming the external help file).</summary>
    public static bool IsCommandHelp(MarkdownDocument document) => document.FrontMatter.ContainsKey("external help file");

    public static CommandHelp Read(MarkdownDocument document)
    {
        var blocks = document.Blocks;
        var fail = (int line, string message) => new HelpSourceException(document.Path, line, message);
        if (blocks.Count == 0 || blocks[0] is not Heading { Level: 1 } title)
            throw fail(1, "A cmdlet help file starts with '# Verb-Noun'.");
        var name = title.Text;
        if (!CommandName().IsMatch(name))
            throw fail(title.Line, $"'{name}' is not a Verb-Noun command name.");
        var expectedFile = name + ".md";
        if (!string.Equals(System.IO.Path.GetFileName(document.Path), expectedFile, StringComparison.OrdinalIgnoreCase))
            throw fail(title.Line, $"The help for {name} belongs in a file named {expectedFile}.");

        var sections = SplitSections(document, blocks.Skip(1).ToList(), 2, fail);
        var order = sections.Select(s => s.Title).ToList();
        foreach (var required in Sections)
        {
            if (!order.Contains(required))
                throw fail(title.Line, $"{name} has no '## {required}' section; every cmdlet help file has {string.Join(", ", Sections)}.");
        }
        foreach (var section in sections)
        {
            if (!Sections.Contains(section.Title))
                throw fail(section.Line, $"'## {section.Title}' is not a help section; use {string.Join(", ", Sections)}.");
        }
        if (!order.SequenceEqual(Sections))
            throw fail(title.Line, $"The sections must come in this order: {string.Join(", ", Sections)}.");
        Section Get(string t) => sections.Single(s => s.Title == t);

        var synopsisSection = Get("SYNOPSIS");
        var synopsis = string.Join(" ", synopsisSection.Blocks.OfType<Paragraph>().Select(p => InlineText.ToPlain(p.Text)));
        if (synopsis.Length == 0 || synopsisSection.Blocks.Count != 1)
            throw fail(synopsisSection.Line, "SYNOPSIS is one paragraph: one or two sentences saying what the cmdlet does.");

        var description = Text(Get("DESCRIPTION").Blocks, fail);
        if (description.Count == 0)
            throw fail(Get("DESCRIPTION").Line, "DESCRIPTION is empty.");

        var parameters = ReadParameters(Get("PARAMETERS"), document, fail);
        var syntax = ReadSyntax(Get("SYNTAX"), name, parameters, document, fail);
        var examples = ReadExamples(Get("EXAMPLES"), document, fail);
        var inputs = ReadTypes(Get("INPUTS"), document, fail);
        var outputs = ReadTypes(Get("OUTPUTS"), document, fail);
        var notes = Text(Get("NOTES").Blocks, fail);
        var links = ReadLinks(Get("RELATED LINKS"));
        return new CommandHelp(name, synopsis, description, syntax, parameters, inputs, outputs, notes, examples, links);
    }

    private sealed record Section(string Title, int Line, List<MarkdownBlock> Blocks);

    private static List<Section> SplitSections(MarkdownDocument document, List<MarkdownBlock> blocks, int level, Func<int, string, Exception> fail)
    {
        var sections = new List<Section>();
        foreach (var block in blocks)
        {
            if (block is Heading heading && heading.Level <= level)
            {
                if (heading.Level < level)
                    throw fail(heading.Line, $"A level-{heading.Level} heading is not expected here.");
                sections.Add(new Section(heading.Text, heading.Line, []));
            }
            else if (sections.Count == 0)
                throw fail(block.Line, $"Text before the first {new string('#', level)} heading.");
            else
                sections[^1].Blocks.Add(block);
        }
        return sections;
    }

    private static List<SyntaxSet> ReadSyntax(Section section, string name, List<ParameterHelp> parameters, MarkdownDocument document, Func<int, string, Exception> fail)
    {
        var sets = new List<SyntaxSet>();
        foreach (var set in SplitSections(document, section.Blocks, 3, fail))
        {
            var isDefault = set.Title.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase);
            var setName = isDefault ? set.Title[..^"(Default)".Length].Trim() : set.Title;
            if (set.Blocks is not [CodeBlock code])
                throw fail(set.Line, $"The parameter set '{setName}' needs exactly one code block with the syntax line.");
            var text = Regex.Replace(code.Text, @"\s+", " ").Trim();
            if (!text.StartsWith(name + " ", StringComparison.OrdinalIgnoreCase) && text != name)
                throw fail(code.Line, $"The syntax line of '{setName}' starts with the command name {name}.");
            var names = SyntaxParameter().Matches(text).Select(m => m.Groups["name"].Value).ToList();
            foreach (var parameter in names)
            {
                var help = parameters.FirstOrDefault(p => p.Name.Equals(parameter, StringComparison.OrdinalIgnoreCase))
                    ?? throw fail(code.Line, $"The syntax of '{setName}' names -{parameter}, which PARAMETERS does not describe.");
                if (help.In(setName) is null)
                    throw fail(code.Line, $"The syntax of '{setName}' names -{parameter}, whose 'Parameter Sets' do not include '{setName}' or (All).");
            }
            foreach (var parameter in parameters.Where(p => p.Blocks.Any(b => b.ParameterSets.Contains(setName, StringComparer.OrdinalIgnoreCase))))
            {
                if (!names.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                    throw fail(code.Line, $"-{parameter.Name} is in the parameter set '{setName}' but its syntax line does not name it.");
            }
            sets.Add(new SyntaxSet(setName, isDefault, text, names));
        }
        if (sets.Count == 0)
            throw fail(section.Line, "SYNTAX has one '### <parameter set>' heading and syntax code block per parameter set.");
        foreach (var parameter in parameters)
        {
            if (!sets.Any(s => s.ParameterNames.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase)))
                throw fail(section.Line, $"-{parameter.Name} is described under PARAMETERS but no syntax line names it.");
        }
        return sets;
    }

    private static List<ParameterHelp> ReadParameters(Section section, MarkdownDocument document, Func<int, string, Exception> fail)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var entry in SplitSections(document, section.Blocks, 3, fail))
        {
            if (entry.Title.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!entry.Title.StartsWith('-'))
                throw fail(entry.Line, $"A parameter heading is '### -Name' (or '### CommonParameters'), not '### {entry.Title}'.");
            var name = entry.Title[1..];
            if (parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                throw fail(entry.Line, $"-{name} is described twice.");
            var yaml = entry.Blocks.OfType<CodeBlock>().Where(c => c.Language.Equals("yaml", StringComparison.OrdinalIgnoreCase)).ToList();
            if (yaml.Count == 0)
                throw fail(entry.Line, $"-{name} has no ```yaml block with {string.Join(", ", ParameterKeys)}.");
            var description = Text(entry.Blocks.Where(b => !yaml.Contains(b)).ToList(), fail);
            if (description.Count == 0)
                throw fail(entry.Line, $"-{name} has no description.");
            parameters.Add(new ParameterHelp(name, description, yaml.Select(y => ReadAttributes(y, name, document, fail)).ToList()));
        }
        return parameters;
    }

    private static ParameterAttributes ReadAttributes(CodeBlock yaml, string parameter, MarkdownDocument document, Func<int, string, Exception> fail)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in yaml.Text.Split('\n').Where(l => l.Trim().Length > 0))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
                throw fail(yaml.Line, $"-{parameter}: '{line.Trim()}' is not a 'Key: value' line.");
            values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        foreach (var key in ParameterKeys)
        {
            if (!values.ContainsKey(key))
                throw fail(yaml.Line, $"-{parameter} has no '{key}:' line.");
        }
        var unknown = values.Keys.Except(ParameterKeys, StringComparer.OrdinalIgnoreCase).Except(["Accepted values"], StringComparer.OrdinalIgnoreCase).ToList();
        if (unknown.Count > 0)
            throw fail(yaml.Line, $"-{parameter}: unknown key '{unknown[0]}'.");
        var position = values["Position"];
        if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase) && !int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw fail(yaml.Line, $"-{parameter}: Position is 'Named' or a number, not '{position}'.");
        var pipeline = values["Accept pipeline input"];
        if (!PipelineInput().IsMatch(pipeline))
            throw fail(yaml.Line, $"-{parameter}: 'Accept pipeline input' is False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName), not '{pipeline}'.");
        return new ParameterAttributes(
            Type: values["Type"],
            ParameterSets: List(values["Parameter Sets"]),
            Aliases: List(values["Aliases"]),
            Required: Bool(values["Required"], "Required"),
            Position: position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "Named" : position,
            DefaultValue: values["Default value"],
            PipelineInput: pipeline,
            Wildcards: Bool(values["Accept wildcard characters"], "Accept wildcard characters"),
            AcceptedValues: values.TryGetValue("Accepted values", out var accepted) ? List(accepted, noneMeansEmpty: false) : []);

        bool Bool(string text, string key) => text.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw fail(yaml.Line, $"-{parameter}: '{key}' is True or False, not '{text}'."),
        };
    }

    /// <summary>A comma-separated list; "None" alone is the empty list, except where None is a real value (Accepted values).</summary>
    private static List<string> List(string text, bool noneMeansEmpty = true) =>
        noneMeansEmpty && text.Trim().Equals("None", StringComparison.OrdinalIgnoreCase) ? []
        : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static List<ExampleHelp> ReadExamples(Section section, MarkdownDocument document, Func<int, string, Exception> fail)
    {
        var examples = new List<ExampleHelp>();
        foreach (var example in SplitSections(document, section.Blocks, 3, fail))
        {
            if (example.Blocks.FirstOrDefault() is not CodeBlock code || !IsPowerShell(code.Language))
                throw fail(example.Line, $"'{example.Title}' starts with a ```powershell code block.");
            var remarks = Text(example.Blocks.Skip(1).ToList(), fail);
            examples.Add(new ExampleHelp(example.Title, code.Text, remarks));
        }
        if (examples.Count == 0)
            throw fail(section.Line, "EXAMPLES has no '### Example N: ...' entries.");
        return examples;
    }

    private static bool IsPowerShell(string language) => language.ToLowerInvariant() is "powershell" or "pwsh" or "ps" or "ps1";

    private static List<TypeHelp> ReadTypes(Section section, MarkdownDocument document, Func<int, string, Exception> fail)
    {
        var types = SplitSections(document, section.Blocks, 3, fail).Select(t => new TypeHelp(t.Title, Text(t.Blocks, fail))).ToList();
        if (types.Count == 0)
            throw fail(section.Line, $"{section.Title} names each type under a '### TypeName' heading ('### None' when there is none).");
        return types;
    }

    private static List<LinkHelp> ReadLinks(Section section)
    {
        var links = new List<LinkHelp>();
        foreach (var block in section.Blocks)
        {
            var text = block switch
            {
                Paragraph p => p.Text,
                ListItem i => i.Text,
                _ => "",
            };
            var found = MarkdownLink().Matches(text);
            if (found.Count == 0 && text.Trim().Length > 0)
                links.Add(new LinkHelp(InlineText.ToPlain(text.Trim()), ""));
            foreach (Match link in found)
            {
                var target = link.Groups["target"].Value;
                var uri = target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? target : "";
                links.Add(new LinkHelp(InlineText.ToPlain(link.Groups["text"].Value), uri));
            }
        }
        return links;
    }

    /// <summary>Blocks as help paragraphs: text as plain text, list items with their marker, code and tables kept as they are laid out.</summary>
    public static List<HelpText> Text(IReadOnlyList<MarkdownBlock> blocks, Func<int, string, Exception> fail)
    {
        var text = new List<HelpText>();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Paragraph p:
                    text.Add(new HelpText(InlineText.ToPlain(p.Text)));
                    break;
                case ListItem item:
                    text.Add(new HelpText(new string(' ', item.Indent) + item.Marker + " " + InlineText.ToPlain(item.Text)));
                    break;
                case CodeBlock code:
                    text.Add(new HelpText(code.Text, Preformatted: true));
                    break;
                case Table table:
                    text.Add(new HelpText(TableLayout.Render(table, ""), Preformatted: true));
                    break;
                case Heading heading:
                    throw fail(heading.Line, $"A level-{heading.Level} heading is not expected here.");
            }
        }
        return text;
    }

    [GeneratedRegex(@"^[A-Za-z]+-[A-Za-z0-9]+$")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"(?<![\w<\-])-(?<name>[A-Za-z][A-Za-z0-9]*)")]
    private static partial Regex SyntaxParameter();

    [GeneratedRegex(@"^(False|True \((ByValue|ByPropertyName|ByValue, ByPropertyName)\))$")]
    private static partial Regex PipelineInput();

    [GeneratedRegex(@"\[(?<text>[^\]]+)\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
