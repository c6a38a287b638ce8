namespace WpBackup.Sandbox;

/// <summary>
/// Paths of the MariaDB (or MySQL-named) programs the sandbox drives. Debian 12 ships
/// both names (mariadbd and a mysqld link); other systems may have only one.
/// </summary>
public sealed record MariaDbTools(string Server, string InstallDb, string Admin, string Client)
{
    public static MariaDbTools Locate() => new(
        Server: ToolLocator.Find("mariadbd", "mysqld"),
        InstallDb: ToolLocator.Find("mariadb-install-db", "mysql_install_db"),
        Admin: ToolLocator.Find("mariadb-admin", "mysqladmin"),
        Client: ToolLocator.Find("mariadb", "mysql"));
}
