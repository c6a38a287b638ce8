using System.Runtime.Versioning;
using WpBackup.Core.Hosts.Ssh;

namespace WpBackup.Tests.Ssh;

[SupportedOSPlatform("linux")]
public sealed class PrivateKeyPermissionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wpb-keyperm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData(UnixFileMode.UserRead)]
    public void A_private_key_only_its_owner_can_read_is_fine(UnixFileMode mode)
    {
        var key = WriteKey(mode);

        Assert.Null(PrivateKeyPermissions.Check(key));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite, "0602")]
    public void A_key_open_to_group_or_others_gets_a_warning_naming_file_mode_and_fix(UnixFileMode mode, string octal)
    {
        var key = WriteKey(mode);

        var warning = PrivateKeyPermissions.Check(key);

        Assert.NotNull(warning);
        Assert.Contains(key, warning);
        Assert.Contains(octal, warning);
        Assert.Contains($"chmod 600 {key}", warning);
    }

    [Fact]
    public void The_fix_is_quoted_for_paths_with_spaces()
    {
        var key = WriteKey(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, "my key");

        Assert.Contains($"chmod 600 '{key}'", PrivateKeyPermissions.Check(key));
    }

    [Fact]
    public void A_missing_file_is_not_a_permission_problem()
    {
        Assert.Null(PrivateKeyPermissions.Check(Path.Combine(_dir, "missing")));
    }

    private string WriteKey(UnixFileMode mode, string name = "id_ed25519")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "not a real key\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
