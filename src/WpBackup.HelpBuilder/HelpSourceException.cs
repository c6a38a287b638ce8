namespace WpBackup.HelpBuilder;

/// <summary>A problem in a help source file, reported as "file(line): error WPHELP: message" so MSBuild shows it.</summary>
public sealed class HelpSourceException(string path, int line, string message) : Exception(message)
{
    public string SourcePath { get; } = path;

    public int SourceLine { get; } = line;

    public string ToMSBuildError() => $"{SourcePath}({SourceLine}): error WPHELP: {Message}";
}
