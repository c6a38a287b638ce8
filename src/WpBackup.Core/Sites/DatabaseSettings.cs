namespace WpBackup.Core.Sites;

/// <summary>
/// Where a site's database is and how to log in. The password is held for the engine's own
/// use only: it is not a public property, so PowerShell neither displays nor serializes it.
/// </summary>
public sealed class DatabaseSettings
{
    /// <summary>Host name or address; "localhost" means the server's Unix socket for MySQL clients.</summary>
    public string Host { get; init; } = "localhost";
    public int? Port { get; init; }
    public string? Socket { get; init; }
    public string Name { get; init; } = "";
    public string User { get; init; } = "";
    public string TablePrefix { get; init; } = "wp_";
    public string Charset { get; init; } = "utf8mb4";

    /// <summary>wp-config constants whose values could not be read (computed or missing), with why.</summary>
    public IReadOnlyList<UnresolvedSetting> Unresolved { get; init; } = [];

    public bool HasPassword => Password is not null;

    internal string? Password { get; init; }

    public bool IsResolved => Unresolved.Count == 0;

    /// <summary>
    /// A copy with the given parts replaced (null keeps the current value). A part given here
    /// no longer counts as unresolved: an override is how a computed wp-config value is supplied.
    /// </summary>
    public DatabaseSettings With(
        string? host = null, int? port = null, string? socket = null, string? name = null,
        string? user = null, string? password = null) => new()
    {
        Host = host ?? Host,
        Port = host is not null && port is null ? null : port ?? Port,
        Socket = host is not null && socket is null ? null : socket ?? Socket,
        Name = name ?? Name,
        User = user ?? User,
        Password = password ?? Password,
        TablePrefix = TablePrefix,
        Charset = Charset,
        Unresolved = Unresolved.Where(u => u.Constant switch
        {
            "DB_HOST" => host is null,
            "DB_NAME" => name is null,
            "DB_USER" or "DB_PASSWORD" => user is null && password is null,
            _ => true,
        }).ToList(),
    };

    public override string ToString()
    {
        var where = Socket is not null ? $"{Host}:{Socket}" : Port is not null ? $"{Host}:{Port}" : Host;
        return $"{User}@{where}/{Name}";
    }
}

/// <summary>A wp-config.php constant whose value could not be read, why, and the override that supplies it.</summary>
/// <param name="Constant">DB_NAME, DB_USER, DB_PASSWORD or DB_HOST.</param>
/// <param name="Problem">A whole sentence: what is wrong and which parameter to pass.</param>
public sealed record UnresolvedSetting(string Constant, string Problem)
{
    public override string ToString() => Problem;
}
