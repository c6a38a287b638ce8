using System.Management.Automation;

namespace WpBackup.Shell.Commands;

/// <summary>The exception behind an error written by Write-Error with a message only.</summary>
public sealed class WriteErrorException(string message) : SystemException(message);

/// <summary>Write-Error: writes a non-terminating error.</summary>
[Cmdlet(VerbsCommunications.Write, "Error", DefaultParameterSetName = NoException)]
public sealed class WriteErrorCommand : PSCmdlet
{
    private const string NoException = "NoException";
    private const string WithException = "WithException";
    private const string ErrorRecordSet = "ErrorRecord";

    [Parameter(ParameterSetName = WithException, Mandatory = true)]
    public Exception? Exception { get; set; }

    [Parameter(ParameterSetName = NoException, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = WithException)]
    [AllowNull]
    [AllowEmptyString]
    [Alias("Msg")]
    public string? Message { get; set; }

    [Parameter(ParameterSetName = ErrorRecordSet, Mandatory = true)]
    public ErrorRecord? ErrorRecord { get; set; }

    [Parameter(ParameterSetName = NoException)]
    [Parameter(ParameterSetName = WithException)]
    public ErrorCategory Category { get; set; } = ErrorCategory.NotSpecified;

    [Parameter(ParameterSetName = NoException)]
    [Parameter(ParameterSetName = WithException)]
    public string? ErrorId { get; set; }

    [Parameter(ParameterSetName = NoException)]
    [Parameter(ParameterSetName = WithException)]
    public object? TargetObject { get; set; }

    [Parameter]
    public string? RecommendedAction { get; set; }

    [Parameter]
    [Alias("Activity")]
    public string? CategoryActivity { get; set; }

    [Parameter]
    [Alias("Reason")]
    public string? CategoryReason { get; set; }

    [Parameter]
    [Alias("TargetName")]
    public string? CategoryTargetName { get; set; }

    [Parameter]
    [Alias("TargetType")]
    public string? CategoryTargetType { get; set; }

    protected override void ProcessRecord()
    {
        ErrorRecord record;
        if (ErrorRecord is not null)
        {
            record = new ErrorRecord(ErrorRecord, replaceParentContainsErrorRecordException: null);
        }
        else
        {
            Exception exception = Exception ?? new WriteErrorException(Message ?? string.Empty);
            record = new ErrorRecord(exception, ErrorId ?? typeof(WriteErrorException).FullName, Category, TargetObject);
            if (Exception is not null && !string.IsNullOrEmpty(Message))
            {
                record.ErrorDetails = new ErrorDetails(Message);
            }
        }

        if (!string.IsNullOrEmpty(RecommendedAction))
        {
            record.ErrorDetails ??= new ErrorDetails(record.Exception.Message);
            record.ErrorDetails.RecommendedAction = RecommendedAction;
        }

        record.CategoryInfo.Activity = string.IsNullOrEmpty(CategoryActivity) ? "Write-Error" : CategoryActivity;
        if (!string.IsNullOrEmpty(CategoryReason))
        {
            record.CategoryInfo.Reason = CategoryReason;
        }

        if (!string.IsNullOrEmpty(CategoryTargetName))
        {
            record.CategoryInfo.TargetName = CategoryTargetName;
        }

        if (!string.IsNullOrEmpty(CategoryTargetType))
        {
            record.CategoryInfo.TargetType = CategoryTargetType;
        }

        WriteError(record);
    }
}
