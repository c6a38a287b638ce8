namespace WpBackup.Core.Storage;

/// <summary>A destination folder on this machine: <c>ROOT/SITE/ID.tar.zst</c> and <c>ROOT/SITE/ID.json</c>.</summary>
public sealed class LocalStorageLocation : StorageLocation
{
    public LocalStorageLocation(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>The folder, as a full path.</summary>
    public string Root { get; }

    public override string ToString() => Root;
}
