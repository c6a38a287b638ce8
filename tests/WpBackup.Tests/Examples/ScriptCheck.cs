using System.Management.Automation;
using System.Management.Automation.Language;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Examples;

/// <summary>
/// Static checks for scripts that cannot run here (Pester suites, Windows Task Scheduler): the
/// PowerShell parser reads them without errors, and every command they name with a literal name
/// exists — in the hosted PowerShell 7 engine with WpBackup imported, or in a checked-in
/// signature table for modules that are not installed here (Pester 5, ScheduledTasks) — with
/// every parameter name they pass. Splatted parameters are not checked. This says nothing about
/// what the script does when it runs.
/// </summary>
internal static class ScriptCheck
{
    /// <summary>Pester 5's commands and the parameters of theirs these scripts may use (Should's operators are dynamic parameters).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Pester5 = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["Describe"] = ["Name", "Fixture", "Tag", "Skip", "ForEach", "AllowNullOrEmptyForEach"],
        ["Context"] = ["Name", "Fixture", "Tag", "Skip", "ForEach", "AllowNullOrEmptyForEach"],
        ["It"] = ["Name", "Test", "ForEach", "Tag", "Skip", "Pending", "AllowNullOrEmptyForEach"],
        ["BeforeAll"] = ["Scriptblock"],
        ["AfterAll"] = ["Scriptblock"],
        ["BeforeEach"] = ["Scriptblock"],
        ["AfterEach"] = ["Scriptblock"],
        ["BeforeDiscovery"] = ["ScriptBlock"],
        ["Set-ItResult"] = ["Inconclusive", "Pending", "Skipped", "Because"],
        ["Should"] = ["ActualValue", "Not", "Because", "ExpectedValue", "Be", "BeExactly", "BeTrue", "BeFalse", "BeNullOrEmpty",
            "BeLessThan", "BeGreaterThan", "BeLessOrEqual", "BeGreaterOrEqual", "BeIn", "BeOfType", "BeLike", "Match", "Contain",
            "HaveCount", "Exist", "FileContentMatch", "Throw", "ExceptionType", "ErrorId", "HaveParameter", "Invoke", "Times", "Exactly"],
        ["New-PesterContainer"] = ["Path", "ScriptBlock", "Data"],
        ["Invoke-Pester"] = ["Path", "Container", "Output", "PassThru", "Configuration", "TagFilter", "ExcludeTagFilter", "FullNameFilter", "CI"],
    };

    /// <summary>The Windows ScheduledTasks module's commands and the parameters of theirs used here (Windows only).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ScheduledTasks = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["New-ScheduledTaskAction"] = ["Execute", "Argument", "WorkingDirectory", "Id"],
        ["New-ScheduledTaskTrigger"] = ["Once", "Daily", "Weekly", "AtStartup", "AtLogOn", "At", "DaysInterval", "DaysOfWeek", "WeeksInterval", "RandomDelay", "RepetitionInterval", "RepetitionDuration", "User"],
        ["New-ScheduledTaskSettingsSet"] = ["StartWhenAvailable", "ExecutionTimeLimit", "MultipleInstances", "RestartCount", "RestartInterval", "WakeToRun", "RunOnlyIfNetworkAvailable", "AllowStartIfOnBatteries", "DontStopIfGoingOnBatteries", "Hidden"],
        ["New-ScheduledTaskPrincipal"] = ["UserId", "GroupId", "LogonType", "RunLevel", "Id"],
        ["Register-ScheduledTask"] = ["TaskName", "TaskPath", "Action", "Trigger", "Settings", "Principal", "User", "Password", "RunLevel", "Description", "Force", "InputObject", "Xml"],
        ["Get-ScheduledTask"] = ["TaskName", "TaskPath"],
        ["Get-ScheduledTaskInfo"] = ["TaskName", "TaskPath", "InputObject"],
    };

    /// <summary>
    /// pwsh's own cmdlets from Microsoft.PowerShell.Utility, .Management and .Security that these scripts use: the engine
    /// hosted here is System.Management.Automation alone, without those modules. Parameters as documented for PowerShell 7.4.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> PwshModules = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["Write-Output"] = ["InputObject", "NoEnumerate"],
        ["Write-Error"] = ["Message", "Exception", "ErrorRecord", "Category", "ErrorId", "TargetObject", "RecommendedAction", "CategoryActivity", "CategoryReason", "CategoryTargetName", "CategoryTargetType"],
        ["Write-Warning"] = ["Message"],
        ["Write-Host"] = ["Object", "NoNewline", "Separator", "ForegroundColor", "BackgroundColor"],
        ["Join-Path"] = ["Path", "ChildPath", "AdditionalChildPath", "Resolve", "Credential"],
        ["Split-Path"] = ["Path", "LiteralPath", "Parent", "Leaf", "LeafBase", "Extension", "Qualifier", "NoQualifier", "IsAbsolute", "Resolve", "Credential"],
        ["Resolve-Path"] = ["Path", "LiteralPath", "Relative", "RelativeBasePath", "Credential"],
        ["Get-Content"] = ["Path", "LiteralPath", "Raw", "TotalCount", "Tail", "Encoding", "Delimiter", "ReadCount"],
        ["Set-Content"] = ["Path", "LiteralPath", "Value", "Encoding", "NoNewline", "Force", "PassThru"],
        ["Remove-Item"] = ["Path", "LiteralPath", "Recurse", "Force", "Filter", "Include", "Exclude"],
        ["Select-Object"] = ["InputObject", "Property", "ExpandProperty", "First", "Last", "Skip", "Unique"],
        ["Start-Sleep"] = ["Seconds", "Milliseconds", "Duration"],
        ["New-TimeSpan"] = ["Start", "End", "Days", "Hours", "Minutes", "Seconds", "Milliseconds"],
        ["Get-Credential"] = ["Credential", "Message", "UserName", "Title"],
    };

    public static ScriptBlockAst Parse(string path)
    {
        var ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        Assert.True(errors.Length == 0, $"{path} does not parse:\n" + string.Join("\n", errors.Select(e => $"{e.Extent.StartLineNumber}:{e.Extent.StartColumnNumber}: {e.Message}")));
        return ast;
    }

    /// <summary>Every command with a literal name, and the parameter names passed to it.</summary>
    public static List<(string Command, List<string> Parameters, int Line)> Commands(ScriptBlockAst ast) =>
        ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>()
            .Where(c => c.InvocationOperator != TokenKind.Dot && c.GetCommandName() is not null)
            .Where(c => c.CommandElements[0] is StringConstantExpressionAst)
            .Select(c => (c.GetCommandName(), c.CommandElements.OfType<CommandParameterAst>().Select(p => p.ParameterName).ToList(), c.Extent.StartLineNumber))
            .ToList();

    /// <summary>Functions the script defines itself.</summary>
    public static HashSet<string> Functions(ScriptBlockAst ast) =>
        ast.FindAll(a => a is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>().Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Fails with every command that neither the engine nor <paramref name="external"/> knows, and
    /// every parameter name the command does not take (full name, alias or unambiguous prefix).
    /// </summary>
    public static void CommandsExist(string path, PowerShellSession session, params IReadOnlyDictionary<string, string[]>[] external)
        => CommandsExist(path, session, [], external);

    /// <summary>As above; <paramref name="natives"/> are programs on PATH (not checked: their arguments are theirs).</summary>
    public static void CommandsExist(string path, PowerShellSession session, string[] natives, params IReadOnlyDictionary<string, string[]>[] external)
    {
        external = [.. external, PwshModules];
        var ast = Parse(path);
        var own = Functions(ast);
        var problems = new List<string>();
        foreach (var (command, parameters, line) in Commands(ast))
        {
            if (own.Contains(command) || natives.Contains(command, StringComparer.Ordinal))
                continue;
            string[]? known = external.Select(t => t.TryGetValue(command, out var p) ? p : null).FirstOrDefault(p => p is not null);
            if (known is null)
            {
                var found = session.Run("Get-Command -Name $n -ErrorAction SilentlyContinue", new Dictionary<string, object?> { ["n"] = command }).Output;
                if (found.Count == 0 || found[0].BaseObject is not CommandInfo info || info is ApplicationInfo)
                {
                    problems.Add($"line {line}: command '{command}' does not exist");
                    continue;
                }
                known = [.. info.Parameters.Values.SelectMany(p => p.Aliases.Prepend(p.Name))];
            }
            else
            {
                known = [.. known, .. CommonParameters];
            }

            foreach (var parameter in parameters)
            {
                bool exact = known.Contains(parameter, StringComparer.OrdinalIgnoreCase);
                int prefixes = known.Count(k => k.StartsWith(parameter, StringComparison.OrdinalIgnoreCase));
                if (!exact && prefixes != 1)
                    problems.Add($"line {line}: {command} has no parameter -{parameter}");
            }
        }
        Assert.True(problems.Count == 0, $"{path}:\n" + string.Join("\n", problems));
    }

    /// <summary>The names of a script's own parameters (its param block).</summary>
    public static string[] ScriptParameters(string path) =>
        [.. Parse(path).ParamBlock?.Parameters.Select(p => p.Name.VariablePath.UserPath) ?? []];

    private static readonly string[] CommonParameters =
        ["Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
         "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm"];

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WpBackup.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
