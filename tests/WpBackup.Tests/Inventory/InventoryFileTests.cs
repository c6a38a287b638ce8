using WpBackup.Core.Inventory;
using WpBackup.Tests.Shell;
using WpBackup.Tests.Support;

namespace WpBackup.Tests.Inventory;

/// <summary>The inventory file itself: where it is, what cannot be read, and who else can read it.</summary>
public sealed class InventoryFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Write(string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = _temp.Combine($"inventory-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private static InventoryException Fails(string path) =>
        Assert.Throws<InventoryException>(() => SiteInventory.Load(path, _ => { }, InventoryText.NoSshConfig));

    [Fact]
    public void The_default_file_is_in_the_per_user_config_folder()
    {
        if (Environment.GetEnvironmentVariable(InventoryFile.PathVariable) is { Length: > 0 })
            return;
        var config = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        Assert.Equal(Path.Combine(config, "wpbackup", "inventory.yml"), InventoryFile.DefaultPath());
    }

    [Fact]
    public void A_missing_file_a_folder_a_huge_file_and_binary_garbage_are_errors()
    {
        var missing = Fails(_temp.Combine("nope.yml"));
        Assert.Equal(InventoryErrors.NotFound, missing.ErrorId);
        Assert.Contains("Register-WpSite", missing.Message);

        Assert.Equal(InventoryErrors.Unreadable, Fails(_temp.Path).ErrorId);

        var huge = Write("# " + new string('x', InventoryFile.MaxBytes) + "\n");
        Assert.Equal(InventoryErrors.TooLarge, Fails(huge).ErrorId);

        var binary = _temp.Combine("binary.yml");
        File.WriteAllBytes(binary, [0xff, 0xfe, 0x00, 0xc3, 0x28]);
        Assert.Equal(InventoryErrors.Syntax, Fails(binary).ErrorId);
    }

    [Fact]
    public void A_file_the_user_may_not_read_is_an_error_that_says_so()
    {
        var path = Write("sites: []\n", UnixFileMode.None);
        if (Environment.UserName != "root")
        {
            var e = Fails(path);
            Assert.Equal(InventoryErrors.Unreadable, e.ErrorId);
            return;
        }
        // root reads everything: ask as the unprivileged 'nobody' instead, through the wpbackup host.
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_101_101);
        var result = Processes.Run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
            "env", $"DOTNET_ROOT={Path.GetDirectoryName(Environment.ProcessPath)}", "HOME=/tmp",
            ShellProcess.ExecutablePath, "-Command", $"Get-WpSite -ConfigPath '{path}'");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{path}: cannot read the inventory: Access to the path", result.Stdout + result.Stderr);
    }

    [Fact]
    public void A_file_others_may_read_is_warned_about_and_a_private_one_is_not()
    {
        var warnings = new List<string>();
        var shared = Write("sites: []\n", (UnixFileMode)0b110_100_100);
        SiteInventory.Load(shared, warnings.Add, InventoryText.NoSshConfig);
        var warning = Assert.Single(warnings);
        Assert.Contains("mode 0644", warning);
        Assert.Contains($"chmod 600 '{shared}'", warning);

        warnings.Clear();
        SiteInventory.Load(Write("sites: []\n"), warnings.Add, InventoryText.NoSshConfig);
        Assert.Empty(warnings);
    }

    public void Dispose() => _temp.Dispose();
}
