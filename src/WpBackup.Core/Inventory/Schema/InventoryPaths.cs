namespace WpBackup.Core.Inventory.Schema;

/// <summary>Paths on this machine as the inventory writes them: '~' is the home folder, relative means next to the inventory file.</summary>
internal static class InventoryPaths
{
    public static string Local(string path, string inventoryFolder)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "");
        return Path.GetFullPath(path, inventoryFolder);
    }
}
