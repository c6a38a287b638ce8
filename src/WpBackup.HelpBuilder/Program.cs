using System.Text;
using WpBackup.HelpBuilder;
using WpBackup.HelpBuilder.Markdown;

// Usage: WpBackup.HelpBuilder <docs folder> <output folder>
// Reads every cmdlet help file (Markdown with platyPS front matter) and every about_*.md in the
// docs folder, and writes <external help file> (MAML) and about_*.help.txt into the output folder.
// Problems are printed as "file(line): error WPHELP: ..." and make the exit code 1.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: WpBackup.HelpBuilder <docs folder> <output folder>");
    return 2;
}
var (docs, output) = (Path.GetFullPath(args[0]), Path.GetFullPath(args[1]));
try
{
    var result = HelpBuild.Run(docs, output);
    Console.WriteLine($"WpBackup.HelpBuilder: {result.Commands} cmdlet(s) -> {string.Join(", ", result.MamlFiles)}; {result.AboutTopics} about topic(s); in {output}");
    return 0;
}
catch (HelpSourceException e)
{
    Console.Error.WriteLine(e.ToMSBuildError());
    return 1;
}
