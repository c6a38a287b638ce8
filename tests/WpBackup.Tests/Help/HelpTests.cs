using System.Management.Automation;
using WpBackup.HelpBuilder;
using WpBackup.HelpBuilder.Markdown;
using WpBackup.Tests.Support;
using static WpBackup.Tests.Help.HelpObjects;

namespace WpBackup.Tests.Help;

/// <summary>
/// The help the build ships (en-US/WpBackup.dll-Help.xml from docs/*.md), read back through the
/// real engine's Get-Help and compared with the cmdlets' real parameter metadata. The cmdlets and
/// parameters come from the engine, not from a list here: a new cmdlet or parameter without docs
/// fails these tests until docs/&lt;Verb-Noun&gt;.md describes it.
/// </summary>
public sealed class HelpTests(HelpTests.Session session) : IClassFixture<HelpTests.Session>
{
    public sealed class Session : IDisposable
    {
        private readonly Dictionary<string, PSObject> _help = [];

        public PowerShellSession PowerShell { get; } = new();

        public PSObject Help(string command)
        {
            lock (_help)
            {
                if (!_help.TryGetValue(command, out var help))
                    _help[command] = help = PowerShell.Run($"Get-Help {command} -Full").ShouldSucceed().Output.Single();
                return help;
            }
        }

        public void Dispose() => PowerShell.Dispose();
    }

    public static TheoryData<string> Cmdlets() => ModuleCommands.Names();

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_has_a_synopsis_a_description_and_its_sections(string name)
    {
        var help = session.Help(name);
        var cmdlet = ModuleCommands.Get(name);

        Assert.Equal(name, String(help, "details", "name"));
        var synopsis = String(help, "Synopsis");
        // Without a help file, Get-Help makes the synopsis from the syntax; that is not help.
        Assert.False(synopsis.Length < 20 || synopsis.StartsWith(name, StringComparison.OrdinalIgnoreCase),
            $"{name} has no written synopsis (got '{synopsis}'): add docs/{name}.md.");
        Assert.NotEmpty(Paragraphs(Get(help, "description")));

        var inputs = Items(Path(help, "inputTypes", "inputType")).Select(i => String(i, "type", "name")).ToList();
        var outputs = Items(Path(help, "returnValues", "returnValue")).Select(o => String(o, "type", "name")).ToList();
        Assert.NotEmpty(inputs);
        Assert.NotEmpty(outputs);
        foreach (var type in cmdlet.OutputType.Select(t => t.Type?.FullName ?? t.Name))
            Assert.True(outputs.Contains(type), $"{name} declares [OutputType({type})] but its OUTPUTS section names {string.Join(", ", outputs)}.");

        var links = Items(Path(help, "relatedLinks", "navigationLink")).Select(l => String(l, "linkText")).ToList();
        Assert.Contains("about_WpBackup", links);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_describes_every_parameter_as_the_cmdlet_declares_it(string name)
    {
        var help = session.Help(name);
        var cmdlet = ModuleCommands.Get(name);
        var documented = Items(Path(help, "parameters", "parameter")).ToDictionary(p => String(p, "name"), StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();

        foreach (var parameter in ModuleCommands.Parameters(cmdlet))
        {
            if (!documented.TryGetValue(parameter.Name, out var doc))
            {
                problems.Add($"-{parameter.Name} is not documented: add '### -{parameter.Name}' under PARAMETERS in docs/{name}.md.");
                continue;
            }
            var sets = parameter.ParameterSets.Values.ToList();
            void Expect(string what, string actual, IEnumerable<string> allowed)
            {
                var options = allowed.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (!options.Contains(actual, StringComparer.OrdinalIgnoreCase))
                    problems.Add($"-{parameter.Name}: help says {what} '{actual}', the cmdlet has '{string.Join("' or '", options)}'.");
            }
            Expect("type", String(doc, "type", "name"), [ModuleCommands.TypeName(parameter.ParameterType)]);
            Expect("required", String(doc, "required"), sets.Select(s => s.IsMandatory ? "true" : "false"));
            Expect("position", String(doc, "position"), sets.Select(ModuleCommands.Position));
            Expect("pipeline input", String(doc, "pipelineInput"), sets.Select(ModuleCommands.PipelineInput));
            Expect("wildcards", String(doc, "globbing"), [parameter.Attributes.OfType<SupportsWildcardsAttribute>().Any() ? "true" : "false"]);
            var aliases = String(doc, "aliases");
            var helpAliases = aliases.Equals("none", StringComparison.OrdinalIgnoreCase) ? [] : aliases.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (!helpAliases.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(parameter.Aliases.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
                problems.Add($"-{parameter.Name}: help says aliases '{aliases}', the cmdlet has '{string.Join(", ", parameter.Aliases)}'.");
            if (Paragraphs(Get(doc, "description")).Length == 0)
                problems.Add($"-{parameter.Name} has no description.");
            if (String(doc, "defaultValue").Length == 0)
                problems.Add($"-{parameter.Name} has no 'Default value'.");

            var accepted = Items(Path(doc, "parameterValueGroup", "parameterValue")).Select(v => Text(v)).Order().ToList();
            var expected = ModuleCommands.EnumType(parameter.ParameterType) is { } enumType ? Enum.GetNames(enumType)
                : parameter.Attributes.OfType<ValidateSetAttribute>().FirstOrDefault()?.ValidValues.ToArray() ?? [];
            if (!accepted.SequenceEqual(expected.Order()))
                problems.Add($"-{parameter.Name}: help says 'Accepted values: {string.Join(", ", accepted)}', the cmdlet accepts '{string.Join(", ", expected)}'.");
        }
        foreach (var extra in documented.Keys.Where(k => !cmdlet.Parameters.ContainsKey(k)))
            problems.Add($"-{extra} is documented but {name} has no such parameter.");

        Assert.True(problems.Count == 0, $"docs/{name}.md does not match {name}:\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_syntax_shows_each_parameter_set(string name)
    {
        var help = session.Help(name);
        var cmdlet = ModuleCommands.Get(name);
        var items = Items(Path(help, "syntax", "syntaxItem"))
            .Select(item => Items(Get(item, "parameter")).ToDictionary(p => String(p, "name"), StringComparer.OrdinalIgnoreCase))
            .ToList();

        Assert.Equal(cmdlet.ParameterSets.Count, items.Count);
        foreach (var set in cmdlet.ParameterSets)
        {
            var names = set.Parameters.Where(p => !Cmdlet.CommonParameters.Contains(p.Name)).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
            var item = items.FirstOrDefault(i => i.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(names.Keys));
            Assert.True(item is not null, $"No syntax in the help of {name} has the parameters of its set '{set.Name}': {string.Join(", ", names.Keys)}.");
            foreach (var (parameterName, parameter) in names)
            {
                Assert.Equal(parameter.IsMandatory ? "true" : "false", String(item[parameterName], "required"));
                Assert.Equal(parameter.Position < 0 ? "named" : parameter.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), String(item[parameterName], "position"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_has_at_least_two_examples_that_parse_and_bind(string name)
    {
        var examples = Items(Path(session.Help(name), "examples", "example"));
        Assert.True(examples.Count >= 2, $"{name} has {examples.Count} example(s) in its help; write at least two.");

        var usesItself = false;
        foreach (var example in examples)
        {
            var title = String(example, "title");
            var code = String(example, "code");
            Assert.False(string.IsNullOrWhiteSpace(title), $"An example of {name} has no title.");
            Assert.False(string.IsNullOrWhiteSpace(code), $"{title} of {name} has no code.");
            Assert.NotEmpty(Paragraphs(Get(example, "remarks")));

            // Every WpBackup command in the example must bind: real parameter names, values of the right shape.
            var result = session.PowerShell.Run(BindScript, new Dictionary<string, object?> { ["code"] = code }).ShouldSucceed();
            var lines = result.Output.Select(o => o.ToString()).ToList();
            var problems = lines.Where(l => !l.StartsWith("uses ", StringComparison.Ordinal)).ToList();
            Assert.True(problems.Count == 0, $"{title} of {name} does not bind:\n{code}\n" + string.Join("\n", problems));
            usesItself |= lines.Contains("uses " + name);
        }
        Assert.True(usesItself, $"No example of {name} runs {name}.");
    }

    /// <summary>Parses example code and binds each WpBackup command in it, without running anything.</summary>
    private const string BindScript = """
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref]$tokens, [ref]$errors)
        foreach ($e in $errors) { "parse error: $($e.Message)" }
        $ours = (Get-Command -Module WpBackup).Name
        foreach ($command in $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $commandName = $command.GetCommandName()
            if ($ours -notcontains $commandName) { continue }
            "uses $commandName"
            $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($command, $true)
            # The static binder does not know what a pipeline sends, so a command piped into with two
            # sets that take pipeline input (Get-WpBackup | Remove-WpBackup -KeepLast 3) looks unbound.
            # Then bind it as the engine does: the piped objects go to the default set's ByValue parameter.
            $elements = if ($command.Parent -is [System.Management.Automation.Language.PipelineAst]) { $command.Parent.PipelineElements } else { @() }
            if ($binding.BindingExceptions.Count -gt 0 -and $elements.Count -gt 1 -and $elements[0] -ne $command) {
                $default = @((Get-Command $commandName).ParameterSets | Where-Object IsDefault)[0]
                $byValue = @($default.Parameters | Where-Object ValueFromPipeline)[0]
                if ($byValue -and -not $binding.BoundParameters.ContainsKey($byValue.Name)) {
                    $piped = [System.Management.Automation.Language.Parser]::ParseInput("$($command.Extent.Text) -$($byValue.Name) `$input", [ref]$null, [ref]$null)
                    $pipedCommand = $piped.Find({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true)
                    $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($pipedCommand, $true)
                }
            }
            foreach ($key in $binding.BindingExceptions.Keys) {
                "${commandName}: $key - $($binding.BindingExceptions[$key].BindingException.Message)"
            }
            # A constant value must convert to the parameter's type (an enum name, a number), unless the
            # parameter transforms its argument first (-OlderThan '30d', -TimeZone 'Europe/Berlin').
            foreach ($key in $binding.BoundParameters.Keys) {
                $bound = $binding.BoundParameters[$key]
                $transforms = $bound.Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentTransformationAttribute] }
                if ($null -eq $bound.ConstantValue -or $transforms) { continue }
                try { $null = [System.Management.Automation.LanguagePrimitives]::ConvertTo($bound.ConstantValue, $bound.Parameter.ParameterType) }
                catch { "${commandName}: -$key cannot take '$($bound.ConstantValue)': $($_.Exception.Message)" }
            }
        }
        """;

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Markdown_syntax_is_what_the_engine_shows(string name)
    {
        var path = System.IO.Path.Combine(RepoPaths.Docs, name + ".md");
        var cmdlet = ModuleCommands.Get(name);
        var expected = string.Join("\n\n", cmdlet.ParameterSets
            .OrderByDescending(s => s.IsDefault)
            .Select(s => $"### {s.Name}{(s.IsDefault ? " (Default)" : "")}\n```\n{name} {s}\n```"));
        Assert.True(File.Exists(path), $"{name} has no help: write {path}, with this SYNTAX section:\n\n## SYNTAX\n\n{expected}\n");

        var help = CommandHelpReader.Read(MarkdownDocument.Load(path));
        var actual = string.Join("\n\n", help.Syntax.Select(s => $"### {s.Name}{(s.IsDefault ? " (Default)" : "")}\n```\n{s.Text}\n```"));
        Assert.True(string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase),
            $"The SYNTAX of {path} is not what the engine shows for {name}. It should read:\n\n{expected}\n");
    }

    [Fact]
    public void Every_cmdlet_help_file_is_for_an_exported_cmdlet()
    {
        var exported = ModuleCommands.Cmdlets.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var files = Directory.EnumerateFiles(RepoPaths.Docs, "*.md")
            .Select(MarkdownDocument.Load)
            .Where(CommandHelpReader.IsCommandHelp)
            .Select(d => System.IO.Path.GetFileNameWithoutExtension(d.Path))
            .ToList();
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.True(exported.Contains(file), $"docs/{file}.md documents a cmdlet the module does not export."));
    }

    [Fact]
    public void The_help_files_are_next_to_the_module_in_en_US()
    {
        var folder = System.IO.Path.Combine(AppContext.BaseDirectory, "en-US");
        Assert.True(File.Exists(System.IO.Path.Combine(folder, "WpBackup.dll-Help.xml")));
        Assert.True(File.Exists(System.IO.Path.Combine(folder, "about_WpBackup.help.txt")));
        var shell = System.IO.Path.GetDirectoryName(Shell.ShellProcess.ExecutablePath)!;
        Assert.True(File.Exists(System.IO.Path.Combine(shell, "en-US", "WpBackup.dll-Help.xml")), "the wpbackup shell's output has no help");
    }

    [Fact]
    public void Get_Help_finds_about_WpBackup_in_the_module_folder()
    {
        var text = session.PowerShell.Run("Get-Help about_WpBackup").ShouldSucceed().Output.Single().ToString();
        var topics = session.PowerShell.Run("Get-Help about_Wp*").ShouldSucceed().Output;

        var lines = text.Split('\n');
        Assert.Equal("TOPIC", lines[0].Trim());
        Assert.Equal("about_WpBackup", lines[1].Trim());
        var topic = Assert.Single(topics);
        Assert.Equal("about_WpBackup", String(topic, "Name"));
        Assert.StartsWith("Backs up and restores WordPress sites", String(topic, "Synopsis"));
        foreach (var heading in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION", "  Where backups go", "  The archive", "  Sidecars", "  Excludes", "  Security", "  Errors and ErrorIds", "  Sites on other servers", "  The wpbackup host", "SEE ALSO" })
            Assert.Contains("\n" + heading + "\n", text);
        foreach (var cmdlet in ModuleCommands.Cmdlets)
            Assert.True(text.Contains(cmdlet.Name, StringComparison.Ordinal), $"about_WpBackup does not mention {cmdlet.Name}; add it to the cmdlet table in docs/about_WpBackup.md.");
    }

    [Fact]
    public async Task Get_Help_Full_prints_every_section_in_the_wpbackup_host()
    {
        var result = await Shell.ShellProcess.CommandAsync("""
            foreach ($name in (Get-Command -Module WpBackup -CommandType Cmdlet).Name) {
                Write-Host "=== $name"
                Get-Help $name -Full | Out-Default
            }
            Get-Help about_WpBackup | Out-Default
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        var pages = result.StdOut.Split("=== ").Skip(1)
            .ToDictionary(p => p[..p.IndexOf('\n')].Trim(), p => p);
        Assert.Equal(ModuleCommands.Cmdlets.Select(c => c.Name).Order(), pages.Keys.Order());
        foreach (var cmdlet in ModuleCommands.Cmdlets)
        {
            var page = pages[cmdlet.Name];
            var synopsis = String(session.Help(cmdlet.Name), "Synopsis");
            foreach (var section in new[] { "NAME", "SYNOPSIS", "SYNTAX", "DESCRIPTION", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" })
                Assert.True(page.Contains("\n" + section + "\n", StringComparison.Ordinal), $"Get-Help {cmdlet.Name} -Full has no {section} section:\n{page}");
            Assert.Contains(synopsis.Split(' ').Take(4).Aggregate((a, b) => a + " " + b), page);
            foreach (var parameter in ModuleCommands.Parameters(cmdlet))
                Assert.True(page.Contains($"    -{parameter.Name} ", StringComparison.Ordinal) || page.Contains($"    -{parameter.Name}\n", StringComparison.Ordinal),
                    $"Get-Help {cmdlet.Name} -Full does not list -{parameter.Name}:\n{page}");
            Assert.Contains("Example 1", page);
            Assert.Contains("Example 2", page);
        }
        Assert.Contains("SHORT DESCRIPTION", result.StdOut);
        Assert.Contains("LONG DESCRIPTION", result.StdOut);
    }
}
