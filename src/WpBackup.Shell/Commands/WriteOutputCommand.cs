using System.Management.Automation;

namespace WpBackup.Shell.Commands;

/// <summary>Write-Output: sends objects down the pipeline.</summary>
[Cmdlet(VerbsCommunications.Write, "Output")]
public sealed class WriteOutputCommand : PSCmdlet
{
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromRemainingArguments = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public PSObject? InputObject { get; set; }

    [Parameter]
    public SwitchParameter NoEnumerate { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            WriteObject(null);
            return;
        }

        WriteObject(InputObject, enumerateCollection: !NoEnumerate);
    }
}
