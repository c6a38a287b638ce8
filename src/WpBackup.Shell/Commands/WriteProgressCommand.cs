using System.Management.Automation;

namespace WpBackup.Shell.Commands;

/// <summary>Write-Progress: reports the progress of a long operation.</summary>
[Cmdlet(VerbsCommunications.Write, "Progress")]
public sealed class WriteProgressCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string? Activity { get; set; }

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Status { get; set; }

    [Parameter(Position = 2)]
    [ValidateRange(0, int.MaxValue)]
    public int Id { get; set; }

    [Parameter]
    [ValidateRange(-1, 100)]
    public int PercentComplete { get; set; } = -1;

    [Parameter]
    public int SecondsRemaining { get; set; } = -1;

    [Parameter]
    public string? CurrentOperation { get; set; }

    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int ParentId { get; set; } = -1;

    [Parameter]
    public SwitchParameter Completed { get; set; }

    [Parameter]
    public int SourceId { get; set; }

    protected override void ProcessRecord()
    {
        string activity = string.IsNullOrEmpty(Activity) ? (Completed ? "Completed" : "Processing") : Activity;
        var record = new ProgressRecord(Id, activity, string.IsNullOrEmpty(Status) ? "Processing" : Status)
        {
            PercentComplete = PercentComplete,
            SecondsRemaining = SecondsRemaining,
            CurrentOperation = CurrentOperation,
            ParentActivityId = ParentId,
            RecordType = Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        WriteProgress(record);
    }
}
