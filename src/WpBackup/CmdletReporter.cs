using System.Collections.Concurrent;
using System.Management.Automation;
using WpBackup.Core.Reporting;

namespace WpBackup.Cmdlets;

/// <summary>
/// Turns engine reports into progress, verbose and warning records. The engine may report
/// from worker threads; PowerShell accepts records only on the pipeline thread, so reports
/// are queued and written whenever the pipeline thread reports or <see cref="Drain"/> runs.
/// Verbose lines carry the time since the work began; everything also goes to the log file when there is one.
/// </summary>
internal sealed class CmdletReporter(Cmdlet cmdlet, int activityId, LogFile? log = null) : IOperationReporter
{
    private readonly ConcurrentQueue<Action> _pending = new();
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public void Progress(OperationProgress progress) => Post(() => cmdlet.WriteProgress(ToRecord(progress)));

    public void Verbose(string message)
    {
        var timed = $"[{_clock.Elapsed.TotalSeconds,6:F1} s] {message}";
        log?.Write("VERBOSE", message);
        Post(() => cmdlet.WriteVerbose(timed));
    }

    public void Warning(string message)
    {
        log?.Write("WARNING", message);
        Post(() => cmdlet.WriteWarning(message));
    }

    public void Error(string message) => log?.Write("ERROR", message);

    public void Complete(string activity) =>
        Post(() => cmdlet.WriteProgress(new ProgressRecord(activityId, activity, "done") { RecordType = ProgressRecordType.Completed }));

    public void Drain()
    {
        while (_pending.TryDequeue(out var write))
            write();
    }

    private void Post(Action write)
    {
        _pending.Enqueue(write);
        if (Environment.CurrentManagedThreadId == _pipelineThread)
            Drain();
    }

    private ProgressRecord ToRecord(OperationProgress p)
    {
        var activity = $"{p.Site}: {StageTitle(p.Stage)}";
        var status = p.BytesTotal > 0
            ? $"{Sizes.Human(p.BytesDone)} of {Sizes.Human(p.BytesTotal)}" + (p.ItemsTotal > 0 ? $", {p.ItemsDone:N0} of {p.ItemsTotal:N0} entries" : "")
            : p.BytesDone > 0 ? Sizes.Human(p.BytesDone) : "working";
        var record = new ProgressRecord(activityId, activity, status);
        if (p.BytesTotal > 0)
            record.PercentComplete = (int)Math.Clamp(p.BytesDone * 100 / p.BytesTotal, 0, 100);
        if (!string.IsNullOrEmpty(p.CurrentItem))
            record.CurrentOperation = p.CurrentItem;
        return record;
    }

    private static string StageTitle(string stage) => stage switch
    {
        "scan" => "scanning files",
        "dump" => "dumping the database",
        "files" => "archiving files",
        "extract" => "reading and checking the archive",
        "database" => "loading the database",
        "copy" => "copying to another destination",
        _ => stage,
    };
}
