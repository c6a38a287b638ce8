using System.Collections;
using System.Management.Automation;
using System.Text;

namespace WpBackup.Shell.Commands;

/// <summary>Write-Host: writes text for a person to read (information stream, tagged PSHOST).</summary>
[Cmdlet(VerbsCommunications.Write, "Host")]
public sealed class WriteHostCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromRemainingArguments = true)]
    [Alias("Msg", "Message")]
    public object? Object { get; set; }

    [Parameter]
    public SwitchParameter NoNewline { get; set; }

    [Parameter]
    public object Separator { get; set; } = " ";

    [Parameter]
    public ConsoleColor? ForegroundColor { get; set; }

    [Parameter]
    public ConsoleColor? BackgroundColor { get; set; }

    protected override void ProcessRecord()
    {
        var text = new StringBuilder();
        Append(text, Object);
        var message = new HostInformationMessage
        {
            Message = text.ToString(),
            NoNewLine = NoNewline.IsPresent,
            ForegroundColor = ForegroundColor,
            BackgroundColor = BackgroundColor,
        };
        WriteInformation(message, ["PSHOST"]);
    }

    private void Append(StringBuilder text, object? value)
    {
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        if (value is null)
        {
            return;
        }

        if (value is not string && value is IEnumerable items)
        {
            bool first = true;
            foreach (object? item in items)
            {
                if (!first)
                {
                    text.Append(Separator);
                }

                Append(text, item);
                first = false;
            }

            return;
        }

        text.Append(LanguagePrimitives.ConvertTo<string>(value));
    }
}
