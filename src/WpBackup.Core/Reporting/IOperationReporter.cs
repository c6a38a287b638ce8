namespace WpBackup.Core.Reporting;

/// <summary>
/// How long-running engine work tells the caller what it is doing. Calls may come from
/// any thread; implementations marshal as they need to.
/// </summary>
public interface IOperationReporter
{
    void Progress(OperationProgress progress);
    void Verbose(string message);
    void Warning(string message);
}

/// <param name="Site">Site the work is for.</param>
/// <param name="Stage">Short stage name: scan, dump, files, bundle, verify, extract, database.</param>
public sealed record OperationProgress(
    string Site,
    string Stage,
    long ItemsDone,
    long ItemsTotal,
    long BytesDone,
    long BytesTotal,
    string? CurrentItem = null);

/// <summary>A reporter that drops everything: for callers that do not care.</summary>
public sealed class NullReporter : IOperationReporter
{
    public static readonly NullReporter Instance = new();
    public void Progress(OperationProgress progress) { }
    public void Verbose(string message) { }
    public void Warning(string message) { }
}
