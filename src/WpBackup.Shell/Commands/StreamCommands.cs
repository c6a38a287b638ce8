using System.Management.Automation.Runspaces;

namespace WpBackup.Shell.Commands;

/// <summary>
/// The System.Management.Automation package brings only the Microsoft.PowerShell.Core cmdlets; the
/// stream cmdlets that scripts use to talk to the host live in Microsoft.PowerShell.Utility, which
/// is not on NuGet. wpbackup supplies small equivalents of those, with the same names and main
/// parameters, wherever the session does not already have the real ones.
/// </summary>
internal static class StreamCommands
{
    private static readonly (string Name, Type Type)[] All =
    [
        ("Write-Output", typeof(WriteOutputCommand)),
        ("Write-Error", typeof(WriteErrorCommand)),
        ("Write-Warning", typeof(WriteWarningCommand)),
        ("Write-Verbose", typeof(WriteVerboseCommand)),
        ("Write-Debug", typeof(WriteDebugCommand)),
        ("Write-Information", typeof(WriteInformationCommand)),
        ("Write-Host", typeof(WriteHostCommand)),
        ("Write-Progress", typeof(WriteProgressCommand)),
        ("Read-Host", typeof(ReadHostCommand)),
    ];

    public static void AddMissing(InitialSessionState state)
    {
        foreach ((string name, Type type) in All)
        {
            if (state.Commands[name].Count == 0)
            {
                state.Commands.Add(new SessionStateCmdletEntry(name, type, helpFileName: null));
            }
        }
    }
}
