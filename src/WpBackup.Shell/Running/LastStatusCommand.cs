using System.Management.Automation;

namespace WpBackup.Shell.Running;

/// <summary>Receives the script's <c>$?</c> when it ends.</summary>
public sealed class LastStatus
{
    /// <summary>The value of <c>$?</c> after the script's last statement, or null if it never finished.</summary>
    public bool? Succeeded { get; internal set; }
}

/// <summary>
/// Sits between the script and Out-Default, passing every object through. When the script has
/// finished it reads <c>$?</c>, which by then holds the status of the script's last statement
/// (a later pipeline would see it reset), for pwsh's exit-code rule.
/// </summary>
[Cmdlet(VerbsData.Save, "WpBackupShellStatus")]
public sealed class LastStatusCommand : PSCmdlet
{
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    [Parameter(Mandatory = true)]
    public LastStatus Status { get; set; } = null!;

    protected override void ProcessRecord() => WriteObject(InputObject);

    protected override void EndProcessing() =>
        Status.Succeeded = LanguagePrimitives.IsTrue(GetVariableValue("?"));
}
