using WpBackup.Core.Sites;

namespace WpBackup.Core.Database;

/// <summary>Streams SQL into the server's own client, creating the database when it is missing.</summary>
public sealed class DatabaseRestorer(MySqlClientTools tools)
{
    public bool Exists(DatabaseSettings database) =>
        tools.Query(database, $"SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = {SqlText.Literal(database.Name)}", useDatabase: false)
            .FirstOrDefault() is "1";

    /// <summary>Number of tables in the database; 0 when it does not exist.</summary>
    public int TableCount(DatabaseSettings database) =>
        int.Parse(tools.Query(database, $"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = {SqlText.Literal(database.Name)}", useDatabase: false)
            .FirstOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    public void Restore(DatabaseSettings database, Stream sql, Action<long>? onBytes = null, CancellationToken cancel = default)
    {
        if (!Exists(database))
            tools.Query(database, $"CREATE DATABASE {SqlText.Identifier(database.Name)} CHARACTER SET utf8mb4", useDatabase: false);

        using var optionFile = tools.WriteOptionFile(database);
        using var process = tools.Start(tools.ClientProgram, optionFile, ["--binary-mode", "--", database.Name]);
        using var registration = cancel.Register(process.Kill);
        var drain = process.StandardOutput.CopyToAsync(Stream.Null, cancel);
        var buffer = new byte[1 << 16];
        long sent = 0;
        try
        {
            int read;
            while ((read = sql.Read(buffer, 0, buffer.Length)) > 0)
            {
                process.StandardInput.Write(buffer, 0, read);
                sent += read;
                onBytes?.Invoke(sent);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The client ended early (bad SQL, lost server); its exit code and stderr say why.
        }
        var (exitCode, stderr) = process.WaitForExit();
        try { drain.Wait(cancel); } catch (AggregateException) { }
        cancel.ThrowIfCancellationRequested();
        if (exitCode != 0)
            throw tools.Failure(database, "restore", stderr);
    }
}
