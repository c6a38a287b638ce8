namespace WpBackup.Core.Hosts;

/// <summary>
/// What an interrupted restore left beside its target: a staging folder, removed; or the target
/// itself, moved aside just before the restored tree was to take its place, put back
/// (<see cref="PutBack"/>) since it is then the only copy of the site.
/// </summary>
public readonly record struct RestoreLeftover(string Path, bool PutBack);
