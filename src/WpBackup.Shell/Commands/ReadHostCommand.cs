using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace WpBackup.Shell.Commands;

/// <summary>Read-Host: reads a line (or a secret) typed by the user.</summary>
[Cmdlet(VerbsCommunications.Read, "Host", DefaultParameterSetName = "AsString")]
[OutputType(typeof(string), typeof(SecureString))]
public sealed class ReadHostCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromRemainingArguments = true)]
    [AllowNull]
    public object? Prompt { get; set; }

    [Parameter(ParameterSetName = "AsSecureString")]
    public SwitchParameter AsSecureString { get; set; }

    [Parameter(ParameterSetName = "AsString")]
    public SwitchParameter MaskInput { get; set; }

    protected override void BeginProcessing()
    {
        PSHostUserInterface ui = Host.UI;
        bool secret = AsSecureString || MaskInput;
        if (Prompt is null)
        {
            WriteObject(secret ? Secret(ui.ReadLineAsSecureString()) : ui.ReadLine());
            return;
        }

        string label = Prompt is PSObject { BaseObject: var value } ? LanguagePrimitives.ConvertTo<string>(value) : LanguagePrimitives.ConvertTo<string>(Prompt);
        var field = new FieldDescription(label);
        field.SetParameterType(secret ? typeof(SecureString) : typeof(string));
        Dictionary<string, PSObject> answers = ui.Prompt(string.Empty, string.Empty, new Collection<FieldDescription> { field });
        object? answer = answers.TryGetValue(label, out PSObject? result) ? result?.BaseObject : null;
        WriteObject(secret && answer is SecureString s ? Secret(s) : answer);
    }

    private object Secret(SecureString secret) =>
        AsSecureString ? secret : new System.Net.NetworkCredential(string.Empty, secret).Password;
}
