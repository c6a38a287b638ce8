using System.Management.Automation;
using System.Reflection;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace WpBackup.Tests.Formatting;

/// <summary>
/// Format-List for the hosted engine. The NuGet engine has Out-Default and the formatting machinery
/// but not the Utility module where Format-List lives; pwsh's Format-List is this same class with
/// its list-shaped implementation, which is internal, so it is made through reflection. Tests only.
/// </summary>
[Cmdlet(VerbsCommon.Format, "List")]
public sealed class FormatListCommand : OuterFormatTableAndListBase
{
    public FormatListCommand()
    {
        var engine = typeof(PSObject).Assembly;
        var shapeType = engine.GetType("Microsoft.PowerShell.Commands.Internal.Format.FormatShape", throwOnError: true)!;
        var innerType = engine.GetType("Microsoft.PowerShell.Commands.Internal.Format.InnerFormatShapeCommand", throwOnError: true)!;
        var inner = Activator.CreateInstance(innerType, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
            [Enum.Parse(shapeType, "List")], null);
        typeof(FrontEndCommandBase).GetField("implementation", BindingFlags.Instance | BindingFlags.NonPublic)!.SetValue(this, inner);
    }
}
