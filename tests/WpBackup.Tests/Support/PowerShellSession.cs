using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace WpBackup.Tests.Support;

/// <summary>
/// The real PowerShell 7 engine with the WpBackup module imported from the test's output
/// folder, running scripts as a user would type them.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    /// <param name="host">Receives what the engine writes to the console (e.g. -WhatIf lines); none by default.</param>
    public PowerShellSession(IDictionary<string, string>? environment = null, System.Management.Automation.Host.PSHost? host = null)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule([System.IO.Path.Combine(AppContext.BaseDirectory, "WpBackup.psd1")]);
        _runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        _runspace.Open();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            Run($"$env:{name} = '{value.Replace("'", "''")}'");
    }

    /// <summary>Runs a script; returns its output and the error records it wrote (non-terminating errors do not throw).</summary>
    /// <param name="onVerbose">Called with each verbose message as the engine writes it, on the pipeline's thread, so the run waits for it.</param>
    public PipelineResult Run(string script, IDictionary<string, object?>? variables = null, Action<string>? onVerbose = null)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        if (onVerbose is not null)
            shell.Streams.Verbose.DataAdded += (_, e) => onVerbose(shell.Streams.Verbose[e.Index].Message);
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
            _runspace.SessionStateProxy.SetVariable(name, value);
        shell.AddScript(script);
        Collection<PSObject> output;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException e)
        {
            return new PipelineResult([], [e.ErrorRecord, .. shell.Streams.Error], [.. shell.Streams.Warning.Select(w => w.Message)],
                [.. shell.Streams.Verbose.Select(v => v.Message)], [.. shell.Streams.Progress]);
        }
        return new PipelineResult(output, [.. shell.Streams.Error], [.. shell.Streams.Warning.Select(w => w.Message)],
            [.. shell.Streams.Verbose.Select(v => v.Message)], [.. shell.Streams.Progress]);
    }

    public void Dispose() => _runspace.Dispose();
}

public sealed record PipelineResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<ProgressRecord> Progress)
{
    public int ProgressRecords => Progress.Count;

    public T Single<T>() => (T)Assert.Single(Output).BaseObject;

    public IEnumerable<T> All<T>() => Output.Select(o => (T)o.BaseObject);

    public PipelineResult ShouldSucceed()
    {
        Assert.True(Errors.Count == 0, "errors: " + string.Join(" | ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Exception.Message}")));
        return this;
    }
}
