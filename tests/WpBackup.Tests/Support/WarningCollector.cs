using WpBackup.Core.Reporting;

namespace WpBackup.Tests.Support;

/// <summary>A reporter that keeps the warnings of an engine run, for tests that assert what was said.</summary>
public sealed class WarningCollector(List<string> warnings) : IOperationReporter
{
    public void Progress(OperationProgress progress) { }
    public void Verbose(string message) { }
    public void Warning(string message) => warnings.Add(message);
}
