using System.Diagnostics;
using WpBackup.Sandbox;

namespace WpBackup.Tests.Sandbox;

/// <summary>
/// One private MariaDB server for every test in the "mariadb" collection, started in a
/// temp directory when the first such test runs and stopped (directory deleted) at the end.
/// </summary>
public sealed class MariaDbFixture : IDisposable
{
    public MariaDbFixture()
    {
        BaseDir = Directory.CreateTempSubdirectory("wpbackup-tests-").FullName;
        var clock = Stopwatch.StartNew();
        Server = MariaDbServer.Start(Path.Combine(BaseDir, "mariadb"));
        StartupTime = clock.Elapsed;
    }

    public MariaDbServer Server { get; }

    /// <summary>Deleted with the fixture; tests put their sites and scratch files below it.</summary>
    public string BaseDir { get; }

    public TimeSpan StartupTime { get; }

    /// <summary>A fresh, empty directory below <see cref="BaseDir"/>.</summary>
    public string NewDirectory(string prefix)
    {
        var path = Path.Combine(BaseDir, $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)]);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try { Server.Dispose(); }
        finally
        {
            if (Directory.Exists(BaseDir)) Directory.Delete(BaseDir, recursive: true);
        }
    }
}

[CollectionDefinition("mariadb")]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
}
