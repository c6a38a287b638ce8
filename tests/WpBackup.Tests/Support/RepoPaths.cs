namespace WpBackup.Tests.Support;

/// <summary>Folders of the source tree the tests run from (tests/WpBackup.Tests/bin/&lt;Configuration&gt;/&lt;tfm&gt;/).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Docs => Path.Combine(Root, "docs");

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "WpBackup.sln")))
            folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException($"no WpBackup.sln above {AppContext.BaseDirectory}");
    }
}
