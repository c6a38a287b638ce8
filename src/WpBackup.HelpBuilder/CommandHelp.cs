namespace WpBackup.HelpBuilder;

/// <summary>One cmdlet's help, as read from its Markdown file.</summary>
public sealed record CommandHelp(
    string Name,
    string Synopsis,
    IReadOnlyList<HelpText> Description,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<HelpText> Notes,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<LinkHelp> Links)
{
    public string Verb => Name[..Name.IndexOf('-')];

    public string Noun => Name[(Name.IndexOf('-') + 1)..];
}

/// <summary>A paragraph of help text; <see cref="Preformatted"/> keeps its line breaks and spacing (code, tables).</summary>
public sealed record HelpText(string Text, bool Preformatted = false);

/// <summary>A parameter set as the SYNTAX section shows it: its name and its parameters in display order.</summary>
public sealed record SyntaxSet(string Name, bool IsDefault, string Text, IReadOnlyList<string> ParameterNames);

/// <summary>One parameter: its description and one attribute block per group of parameter sets it behaves the same in.</summary>
public sealed record ParameterHelp(string Name, IReadOnlyList<HelpText> Description, IReadOnlyList<ParameterAttributes> Blocks)
{
    /// <summary>The attributes that apply in a parameter set, or null when the parameter is not in it.</summary>
    public ParameterAttributes? In(string parameterSet) =>
        Blocks.FirstOrDefault(b => b.ParameterSets.Contains(parameterSet, StringComparer.OrdinalIgnoreCase))
        ?? Blocks.FirstOrDefault(b => b.InAllSets);
}

public sealed record ParameterAttributes(
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Wildcards,
    IReadOnlyList<string> AcceptedValues)
{
    public const string AllSets = "(All)";

    public bool InAllSets => ParameterSets.Contains(AllSets, StringComparer.OrdinalIgnoreCase);

    public bool IsSwitch => Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase);
}

public sealed record TypeHelp(string Name, IReadOnlyList<HelpText> Description);

public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<HelpText> Remarks);

public sealed record LinkHelp(string Text, string Uri);
