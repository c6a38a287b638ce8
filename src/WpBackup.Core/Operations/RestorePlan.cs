namespace WpBackup.Core.Operations;

/// <summary>What a restore will do, worked out before anything is touched (for -WhatIf/-Confirm).</summary>
public sealed record RestorePlan(
    RestoreRequest Request,
    BackupType Type,
    string? Target,
    bool TargetHasContent,
    string? DatabaseName)
{
    public bool RestoresFiles => Type.HasFiles();
    public bool RestoresDatabase => Type.HasDatabase();

    public string Describe()
    {
        var parts = new List<string>();
        if (RestoresFiles)
            parts.Add(TargetHasContent ? $"replace the files in '{Target}'" : $"restore the files into '{Target}'");
        if (RestoresDatabase)
            parts.Add($"load the dump into database '{DatabaseName}' (its tables with the same names are replaced)");
        return string.Join(" and ", parts);
    }
}
