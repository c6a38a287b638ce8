using System.Text;
using WpBackup.HelpBuilder.Markdown;

namespace WpBackup.HelpBuilder;

/// <summary>One run of the converter: every help source in a folder to the files PowerShell reads.</summary>
public static class HelpBuild
{
    public sealed record Result(int Commands, IReadOnlyList<string> MamlFiles, int AboutTopics);

    public static Result Run(string docsFolder, string outputFolder)
    {
        if (!Directory.Exists(docsFolder))
            throw new HelpSourceException(docsFolder, 0, "The docs folder does not exist.");
        var commands = new Dictionary<string, List<CommandHelp>>(StringComparer.OrdinalIgnoreCase);
        var abouts = new List<(string Name, string Text)>();
        foreach (var path in Directory.EnumerateFiles(docsFolder, "*.md").Order(StringComparer.Ordinal))
        {
            var document = MarkdownDocument.Load(path);
            if (AboutTopicWriter.IsAboutTopic(path))
                abouts.Add(AboutTopicWriter.Render(document));
            else if (CommandHelpReader.IsCommandHelp(document))
            {
                var file = document.FrontMatter["external help file"];
                if (!file.EndsWith("-Help.xml", StringComparison.OrdinalIgnoreCase) || file.IndexOfAny(['/', '\\']) >= 0)
                    throw new HelpSourceException(path, 2, $"'external help file: {file}' is a file name ending in -Help.xml, such as WpBackup.dll-Help.xml.");
                if (!commands.TryGetValue(file, out var list))
                    commands[file] = list = [];
                list.Add(CommandHelpReader.Read(document));
            }
        }

        Directory.CreateDirectory(outputFolder);
        // Files of topics or cmdlets that no longer exist must not linger in the output.
        foreach (var stale in Directory.EnumerateFiles(outputFolder, "*-Help.xml").Concat(Directory.EnumerateFiles(outputFolder, "about_*.help.txt")))
            File.Delete(stale);
        foreach (var (file, list) in commands)
            MamlWriter.Write(list.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase), Path.Combine(outputFolder, file));
        foreach (var (name, text) in abouts)
            File.WriteAllText(Path.Combine(outputFolder, name + ".help.txt"), text, new UTF8Encoding(false));
        return new Result(commands.Values.Sum(l => l.Count), commands.Keys.ToList(), abouts.Count);
    }
}
