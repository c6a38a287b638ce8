using System.Management.Automation;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Help;

/// <summary>
/// The module's cmdlets and their parameters, as the PowerShell engine sees them after
/// Import-Module — not a list kept by hand, so a new cmdlet or parameter shows up here (and in
/// every test fed from here) by itself.
/// </summary>
public static class ModuleCommands
{
    // The session stays open for the test run: command metadata is read from the runspace it came from.
    private static readonly Lazy<PowerShellSession> Session = new(() => new PowerShellSession());

    private static readonly Lazy<IReadOnlyList<CmdletInfo>> All = new(() =>
    {
        var cmdlets = Session.Value.Run("Get-Command -Module WpBackup -CommandType Cmdlet").ShouldSucceed().All<CmdletInfo>().OrderBy(c => c.Name).ToList();
        foreach (var cmdlet in cmdlets)
            _ = (cmdlet.Parameters, cmdlet.ParameterSets);
        return cmdlets;
    });

    public static IReadOnlyList<CmdletInfo> Cmdlets => All.Value;

    public static CmdletInfo Get(string name) => Cmdlets.Single(c => c.Name == name);

    /// <summary>One theory case per exported cmdlet.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in Cmdlets)
            data.Add(cmdlet.Name);
        return data;
    }

    /// <summary>The parameters a user gives: all but the common parameters (-Verbose, -ErrorAction, ...). -WhatIf and -Confirm count.</summary>
    public static IEnumerable<ParameterMetadata> Parameters(CmdletInfo cmdlet) =>
        cmdlet.Parameters.Values.Where(p => !Cmdlet.CommonParameters.Contains(p.Name));

    /// <summary>A parameter's type as help names it: Nullable unwrapped, short name ("String[]", "BackupType", "SwitchParameter").</summary>
    public static string TypeName(Type type) => (Nullable.GetUnderlyingType(type) ?? type).Name;

    public static Type? EnumType(Type type)
    {
        var bare = Nullable.GetUnderlyingType(type) ?? type;
        var element = bare.IsArray ? bare.GetElementType()! : bare;
        return element.IsEnum ? element : null;
    }

    public static string PipelineInput(ParameterSetMetadata set)
    {
        var ways = new List<string>();
        if (set.ValueFromPipeline)
            ways.Add("ByValue");
        if (set.ValueFromPipelineByPropertyName)
            ways.Add("ByPropertyName");
        return ways.Count == 0 ? "False" : $"True ({string.Join(", ", ways)})";
    }

    public static string Position(ParameterSetMetadata set) => set.Position < 0 ? "named" : set.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
