namespace WpBackup.Core.Sites;

/// <summary>
/// Database settings given by the user (-DatabaseName, -DatabaseHost, -DatabaseCredential) that
/// take precedence over wp-config.php, e.g. for computed values or restoring into staging.
/// </summary>
public sealed record DatabaseOverrides(string? Name = null, string? Host = null, string? User = null, string? Password = null)
{
    public bool IsEmpty => Name is null && Host is null && User is null && Password is null;

    public DatabaseSettings ApplyTo(DatabaseSettings settings)
    {
        if (Host is not null)
        {
            var parsed = DatabaseHostParser.Parse(Host);
            settings = settings.With(host: parsed.Host, port: parsed.Port, socket: parsed.Socket);
        }
        return settings.With(name: Name, user: User, password: Password);
    }
}
