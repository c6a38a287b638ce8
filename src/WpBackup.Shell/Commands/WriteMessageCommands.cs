using System.Management.Automation;

namespace WpBackup.Shell.Commands;

/// <summary>The shared parameter of Write-Warning, Write-Verbose and Write-Debug.</summary>
public abstract class WriteMessageCommandBase : PSCmdlet
{
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyString]
    [Alias("Msg")]
    public string Message { get; set; } = string.Empty;
}

/// <summary>Write-Warning: writes to the warning stream ("WARNING: ...").</summary>
[Cmdlet(VerbsCommunications.Write, "Warning")]
public sealed class WriteWarningCommand : WriteMessageCommandBase
{
    protected override void ProcessRecord() => WriteWarning(Message);
}

/// <summary>Write-Verbose: writes to the verbose stream, shown with -Verbose or $VerbosePreference.</summary>
[Cmdlet(VerbsCommunications.Write, "Verbose")]
public sealed class WriteVerboseCommand : WriteMessageCommandBase
{
    protected override void ProcessRecord() => WriteVerbose(Message);
}

/// <summary>Write-Debug: writes to the debug stream, shown with -Debug or $DebugPreference.</summary>
[Cmdlet(VerbsCommunications.Write, "Debug")]
public sealed class WriteDebugCommand : WriteMessageCommandBase
{
    protected override void ProcessRecord() => WriteDebug(Message);
}

/// <summary>Write-Information: writes to the information stream.</summary>
[Cmdlet(VerbsCommunications.Write, "Information")]
public sealed class WriteInformationCommand : PSCmdlet
{
    [Parameter(Position = 0, Mandatory = true)]
    [AllowNull]
    [Alias("Msg", "Message")]
    public object? MessageData { get; set; }

    [Parameter(Position = 1)]
    public string[]? Tags { get; set; }

    protected override void ProcessRecord() => WriteInformation(MessageData, Tags);
}
