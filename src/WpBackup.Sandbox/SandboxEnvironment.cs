namespace WpBackup.Sandbox;

/// <summary>
/// A whole throwaway setup in one object: a private temp directory (0700), a MariaDB server
/// and WordPress sites laid out like WordOps (<c>www/&lt;host&gt;/htdocs</c>).
/// Dispose stops the server and deletes everything.
/// </summary>
public sealed class SandboxEnvironment : IDisposable
{
    private readonly List<DemoSite> _sites = [];
    private bool _disposed;

    private SandboxEnvironment(string baseDir, MariaDbServer server)
    {
        BaseDir = baseDir;
        Server = server;
    }

    public string BaseDir { get; }
    public MariaDbServer Server { get; }

    /// <summary>The folder holding one <c>&lt;host&gt;/htdocs</c> per site.</summary>
    public string WebRoot => Path.Combine(BaseDir, "www");

    /// <summary>The first site (built by <see cref="Create"/>).</summary>
    public DemoSite Site => _sites[0];

    public IReadOnlyList<DemoSite> Sites => _sites;

    /// <summary>Starts a server and builds one site (demo.example unless <paramref name="site"/> says otherwise).</summary>
    public static SandboxEnvironment Create(SiteOptions? site = null)
    {
        var baseDir = Directory.CreateTempSubdirectory("wpbackup-sandbox-").FullName; // 0700 on Unix
        MariaDbServer? server = null;
        try
        {
            server = MariaDbServer.Start(Path.Combine(baseDir, "mariadb"));
            var environment = new SandboxEnvironment(baseDir, server);
            environment.AddSite(site ?? new SiteOptions());
            return environment;
        }
        catch
        {
            server?.Dispose();
            DeleteQuietly(baseDir);
            throw;
        }
    }

    /// <summary>Builds another site on the same server under www/&lt;HostName&gt;/htdocs.</summary>
    public DemoSite AddSite(SiteOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var site = WordPressSiteBuilder.Build(SiteRoot(options.HostName), Server, options);
        _sites.Add(site);
        return site;
    }

    public string SiteRoot(string hostName) => Path.Combine(WebRoot, hostName, "htdocs");

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try { Server.Dispose(); }
        finally { DeleteQuietly(BaseDir); }
    }

    private static void DeleteQuietly(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
