using System.Diagnostics;
using System.Xml.Linq;
using WpBackup.HelpBuilder;
using WpBackup.HelpBuilder.Markdown;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Help;

/// <summary>The build-time converter from docs/*.md to MAML and about_*.help.txt, on small hand-written files.</summary>
public sealed class HelpBuilderTests : IDisposable
{
    private readonly TempFolder _temp = new("wpbackup-help-");

    public void Dispose() => _temp.Dispose();

    private const string Sample = """
        ---
        external help file: Sample.dll-Help.xml
        Module Name: Sample
        schema: 2.0.0
        ---

        # Get-Thing

        ## SYNOPSIS
        Gets **things**, with `code` and a [link](Other.md).

        ## SYNTAX

        ### ByName (Default)
        ```
        Get-Thing [[-Name] <string>] [-Kind <Kind>] [<CommonParameters>]
        ```

        ### ByPath
        ```
        Get-Thing -Path <string[]> [-Kind <Kind>] [<CommonParameters>]
        ```

        ## DESCRIPTION
        First paragraph
        on two lines.

        - an item
        - another item

        ```
        code stays
          as it is
        ```

        ## EXAMPLES

        ### Example 1: One
        ```powershell
        Get-Thing a
        ```

        It gets a.

        ### Example 2: Two
        ```powershell
        Get-Thing -Path /x -Kind Big
        ```

        It gets by path.

        ## PARAMETERS

        ### -Name
        The name.

        ```yaml
        Type: String
        Parameter Sets: ByName
        Aliases: N, Id

        Required: False
        Position: 0
        Default value: *
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: True
        ```

        ### -Path
        The path.

        ```yaml
        Type: String[]
        Parameter Sets: ByPath
        Aliases: None

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Kind
        The kind.

        ```yaml
        Type: Kind
        Parameter Sets: (All)
        Aliases: None
        Accepted values: Big, None

        Required: False
        Position: Named
        Default value: Big
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        Common.

        ## INPUTS

        ### System.String

        ## OUTPUTS

        ### Sample.Thing
        A thing.

        ## NOTES

        ## RELATED LINKS

        [about_Sample](about_Sample.md)

        [Online](https://example.org/help)
        """;

    private string Write(string name, string text)
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private CommandHelp Read(string text) => CommandHelpReader.Read(MarkdownDocument.Load(Write("Get-Thing.md", text)));

    private HelpSourceException Fails(string text)
    {
        var error = Assert.Throws<HelpSourceException>(() => Read(text));
        Assert.EndsWith("Get-Thing.md", error.SourcePath);
        return error;
    }

    [Fact]
    public void Reads_a_cmdlet_file_into_sections_sets_and_parameters()
    {
        var help = Read(Sample);

        Assert.Equal("Get-Thing", help.Name);
        Assert.Equal("Gets things, with code and a link.", help.Synopsis);
        Assert.Equal(["First paragraph on two lines.", "- an item", "- another item", "code stays\n  as it is"], help.Description.Select(t => t.Text));
        Assert.True(help.Description[^1].Preformatted);
        Assert.Equal(["ByName", "ByPath"], help.Syntax.Select(s => s.Name));
        Assert.True(help.Syntax[0].IsDefault);
        Assert.Equal(["Name", "Kind"], help.Syntax[0].ParameterNames);
        var name = help.Parameters.Single(p => p.Name == "Name").Blocks.Single();
        Assert.Equal(["N", "Id"], name.Aliases);
        Assert.Equal("0", name.Position);
        Assert.True(name.Wildcards);
        Assert.Equal(["Big", "None"], help.Parameters.Single(p => p.Name == "Kind").Blocks.Single().AcceptedValues);
        Assert.Empty(help.Parameters.Single(p => p.Name == "Path").Blocks.Single().Aliases);
        Assert.Equal(2, help.Examples.Count);
        Assert.Equal([new LinkHelp("about_Sample", ""), new LinkHelp("Online", "https://example.org/help")], help.Links);
    }

    [Fact]
    public void Writes_MAML_that_puts_each_parameter_in_its_sets()
    {
        var maml = MamlWriter.ToMaml([Read(Sample)]);
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace maml_ = "http://schemas.microsoft.com/maml/2004/10";

        var syntax = maml.Descendants(command + "syntaxItem").ToList();
        Assert.Equal(["Name", "Kind"], syntax[0].Elements(command + "parameter").Select(p => p.Element(maml_ + "name")!.Value));
        Assert.Equal(["Path", "Kind"], syntax[1].Elements(command + "parameter").Select(p => p.Element(maml_ + "name")!.Value));
        var name = maml.Element("{http://msh}helpItems")!.Element(command + "command")!.Element(command + "parameters")!.Elements().First();
        Assert.Equal("true", name.Attribute("globbing")!.Value);
        Assert.Equal("True (ByPropertyName)", name.Attribute("pipelineInput")!.Value);
        Assert.Equal("N, Id", name.Attribute("aliases")!.Value);
        Assert.Equal("0", name.Attribute("position")!.Value);
        Assert.Equal(["Big", "None"], maml.Descendants(command + "parameterValueGroup").First().Elements().Select(e => e.Value));
    }

    [Fact]
    public void Refuses_a_file_without_a_section()
    {
        var error = Fails(Sample.Replace("## NOTES\n", ""));
        Assert.Contains("'## NOTES'", error.Message);
        Assert.Equal(7, error.SourceLine);
    }

    [Fact]
    public void Refuses_a_syntax_that_names_an_undescribed_parameter()
    {
        var error = Fails(Sample.Replace("[-Kind <Kind>] [<CommonParameters>]\n```\n\n### ByPath", "[-Kind <Kind>] [-Color <string>] [<CommonParameters>]\n```\n\n### ByPath"));
        Assert.Contains("-Color", error.Message);
        Assert.Equal(15, error.SourceLine); // the code block with the syntax line
    }

    [Fact]
    public void Refuses_a_parameter_without_an_attribute()
    {
        var error = Fails(Sample.Replace("Default value: *\n", ""));
        Assert.Contains("-Name has no 'Default value:' line", error.Message);
    }

    [Fact]
    public void Refuses_a_parameter_that_no_syntax_names()
    {
        var error = Fails(Sample.Replace("Get-Thing -Path <string[]> [-Kind <Kind>]", "Get-Thing [-Kind <Kind>]"));
        Assert.Contains("-Path", error.Message);
    }

    [Fact]
    public void About_topic_text_has_the_short_description_on_line_five()
    {
        var document = MarkdownDocument.Parse(_temp.Combine("about_Sample.md"), """
            # about_Sample

            ## SHORT DESCRIPTION
            Explains **samples** in one line.

            ## LONG DESCRIPTION
            A long paragraph that goes on and on, well past the eighty columns that the help text is wrapped at, with `code`.

            ### A subsection

            | Name | Meaning |
            |---|---|
            | a | the first |

            ```powershell
            Get-Thing -Name 'a'
            ```
            """);

        var (name, text) = AboutTopicWriter.Render(document);

        Assert.Equal("about_Sample", name);
        var lines = text.Split('\n');
        Assert.Equal(["TOPIC", "    about_Sample", "", "SHORT DESCRIPTION", "    Explains samples in one line."], lines[..5]);
        Assert.All(lines.Where(l => !l.StartsWith("        ", StringComparison.Ordinal)), l => Assert.True(l.Length <= 80, l));
        Assert.Contains("\n  A subsection\n", text);
        Assert.Contains("\n    Name  Meaning\n    ----  ---------\n    a     the first\n", text);
        Assert.Contains("\n        Get-Thing -Name 'a'\n", text);
        Assert.Contains("with code.", text);
    }

    [Fact]
    public void The_tool_reports_errors_as_MSBuild_errors_and_fails()
    {
        var docs = Directory.CreateDirectory(_temp.Combine("docs")).FullName;
        File.WriteAllText(Path.Combine(docs, "Get-Thing.md"), Sample.Replace("## SYNOPSIS\n", "## SYNOPSYS\n"));
        var tool = Path.Combine(AppContext.BaseDirectory, "WpBackup.HelpBuilder.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { tool, docs, _temp.Combine("out") })
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(1, process.ExitCode);
        Assert.Matches(@"Get-Thing\.md\(\d+\): error WPHELP: ", stderr);
        Assert.False(Directory.Exists(_temp.Combine("out")));
    }

    [Fact]
    public void The_shipped_help_is_the_docs_folder_converted()
    {
        var output = _temp.Combine("help");
        HelpBuild.Run(RepoPaths.Docs, output);

        foreach (var file in Directory.EnumerateFiles(output))
        {
            var shipped = Path.Combine(AppContext.BaseDirectory, "en-US", Path.GetFileName(file));
            Assert.True(File.Exists(shipped), $"{Path.GetFileName(file)} is not in the module's en-US folder");
            Assert.True(File.ReadAllText(file) == File.ReadAllText(shipped), $"en-US/{Path.GetFileName(file)} is stale: rebuild");
        }
    }
}
