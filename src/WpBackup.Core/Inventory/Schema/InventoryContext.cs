using WpBackup.Core.Inventory.Yaml;

namespace WpBackup.Core.Inventory.Schema;

/// <summary>The file being read, for messages and for paths relative to it.</summary>
internal sealed class InventoryContext(string path)
{
    public string Path { get; } = path;

    /// <summary>The folder relative local paths in the file are taken from.</summary>
    public string Folder { get; } = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";

    public InventoryException Error(string errorId, YamlNode at, string keyPath, string message) =>
        new(errorId, Path, at.Start, keyPath, message);

    public InventoryException Error(string errorId, SourceMark at, string keyPath, string message) =>
        new(errorId, Path, at, keyPath, message);
}
