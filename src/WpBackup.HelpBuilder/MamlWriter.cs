using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace WpBackup.HelpBuilder;

/// <summary>Writes cmdlet help as MAML (the <c>&lt;Module&gt;.dll-Help.xml</c> that Get-Help reads for binary cmdlets).</summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

    public static XDocument ToMaml(IEnumerable<CommandHelp> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(ToCommand)));

    public static void Write(IEnumerable<CommandHelp> commands, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var writer = XmlWriter.Create(path, settings);
        ToMaml(commands).Save(writer);
    }

    private static XElement ToCommand(CommandHelp help) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", help.Verb),
                new XElement(Command + "noun", help.Noun),
                Description(Maml + "description", [new HelpText(help.Synopsis)])),
            Description(Maml + "description", help.Description),
            new XElement(Command + "syntax", help.Syntax.Select(set => SyntaxItem(help, set))),
            new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Blocks[0], forSyntax: false))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeEntry(Command + "inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeEntry(Command + "returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(Example)),
            new XElement(Command + "relatedLinks", help.Links.Select(link =>
                new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", link.Text),
                    new XElement(Maml + "uri", link.Uri)))));

    private static XElement SyntaxItem(CommandHelp help, SyntaxSet set) =>
        new(Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            set.ParameterNames.Select(name =>
            {
                var parameter = help.Parameters.Single(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                return Parameter(parameter, parameter.In(set.Name)!, forSyntax: true);
            }));

    private static XElement Parameter(ParameterHelp parameter, ParameterAttributes attributes, bool forSyntax)
    {
        var element = new XElement(Command + "parameter",
            new XAttribute("required", attributes.Required ? "true" : "false"),
            new XAttribute("variableLength", attributes.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", attributes.Wildcards ? "true" : "false"),
            new XAttribute("pipelineInput", attributes.PipelineInput),
            new XAttribute("position", attributes.Position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : attributes.Position),
            new XAttribute("aliases", attributes.Aliases.Count == 0 ? "none" : string.Join(", ", attributes.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(Maml + "description", parameter.Description));
        if (attributes.AcceptedValues.Count > 0)
        {
            element.Add(new XElement(Command + "parameterValueGroup", attributes.AcceptedValues.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v))));
        }
        // A switch shows as [-Name] in the syntax, so it has no value there.
        if (!(forSyntax && (attributes.IsSwitch || attributes.AcceptedValues.Count > 0)))
        {
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", attributes.IsSwitch ? "false" : "true"),
                new XAttribute("variableLength", "false"),
                attributes.Type));
        }
        element.Add(
            new XElement(Dev + "type", new XElement(Maml + "name", attributes.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", attributes.DefaultValue));
        return element;
    }

    private static XElement TypeEntry(XName name, TypeHelp type) =>
        new(name,
            new XElement(Dev + "type", new XElement(Maml + "name", type.Name)),
            Description(Maml + "description", type.Description));

    private static XElement Example(ExampleHelp example) =>
        new(Command + "example",
            new XElement(Maml + "title", $"---------- {example.Title} ----------"),
            new XElement(Dev + "code", example.Code),
            // The empty paragraph keeps a blank line between one example's remarks and the next example.
            new XElement(Dev + "remarks", Paragraphs(example.Remarks), new XElement(Maml + "para")));

    private static XElement Description(XName name, IEnumerable<HelpText> text) => new(name, Paragraphs(text));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<HelpText> text) =>
        text.Select(t => new XElement(Maml + "para", t.Preformatted ? Indent(t.Text) : t.Text));

    /// <summary>Code and tables are shown indented, so they stand apart from the text around them.</summary>
    private static string Indent(string text) => string.Join("\n", text.Split('\n').Select(l => l.Length == 0 ? l : "    " + l));
}
