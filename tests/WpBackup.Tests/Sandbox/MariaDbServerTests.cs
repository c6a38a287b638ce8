using System.Diagnostics;
using System.Runtime.Versioning;
using WpBackup.Sandbox;
using Xunit.Abstractions;

namespace WpBackup.Tests.Sandbox;

[SupportedOSPlatform("linux")] // unix sockets, file modes, Debian packages
[Collection("mariadb")]
public sealed class MariaDbServerTests(MariaDbFixture db, ITestOutputHelper output)
{
    [Fact]
    public void Shared_server_answers_over_its_socket_with_utf8mb4()
    {
        output.WriteLine($"{db.Server} started in {db.StartupTime.TotalMilliseconds:0} ms");
        Assert.True(db.Server.IsRunning);
        Assert.True(File.Exists(db.Server.SocketPath));
        Assert.Equal("1\tutf8mb4", db.Server.Query("SELECT 1, @@character_set_server;").Trim());
    }

    [Fact]
    public void Query_failure_throws_with_the_clients_error()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => db.Server.Query("SELECT * FROM no_such_db.t;"));
        Assert.Contains("no_such_db", ex.Message);
    }

    [Fact]
    public void Sql_literal_round_trips_awkward_text_byte_for_byte()
    {
        var text = "a'b\"c\\d e$f#g`h;i\n\t\r\0\x1a ü 🎉 _%";
        var hex = db.Server.Query($"SELECT HEX({SqlText.Literal(text)});").Trim();
        Assert.Equal(Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(text)), hex);
    }

    [Fact]
    public void Created_account_logs_in_over_tcp_and_socket_with_an_awkward_password_only_on_its_database()
    {
        var name = "t_" + SecretGenerator.Suffix();
        var password = SecretGenerator.AwkwardPassword();
        db.Server.CreateDatabase(name, name, password);
        try
        {
            db.Server.Query("CREATE TABLE t (v VARCHAR(20)) CHARSET utf8mb4; INSERT INTO t VALUES ('🎉');", name);
            var dir = db.NewDirectory("login");
            var tcp = ClientOptionFile.Write(Path.Combine(dir, "tcp.cnf"), name, password, "127.0.0.1", db.Server.Port);
            var socket = ClientOptionFile.Write(Path.Combine(dir, "socket.cnf"), name, password, "localhost", socket: db.Server.SocketPath);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tcp));

            Assert.Equal($"{name}@127.0.0.1\t🎉", LoginQuery(tcp, name, "SELECT CURRENT_USER(), v FROM t;"));
            Assert.Equal($"{name}@localhost\t🎉", LoginQuery(socket, name, "SELECT CURRENT_USER(), v FROM t;"));

            // The grant is for this database only ('_' is not a wildcard there).
            var denied = Run(tcp, null, "CREATE DATABASE " + name.Replace('_', 'x') + ";");
            Assert.NotEqual(0, denied.ExitCode);
            Assert.Contains("denied", denied.StandardError);
        }
        finally
        {
            db.Server.DropDatabase(name, name);
        }
        Assert.Equal("0", db.Server.Query($"SELECT COUNT(*) FROM mysql.user WHERE User = {SqlText.Literal(name)};").Trim());
    }

    [Fact]
    public void A_second_server_starts_stops_without_leftovers_and_restarts_on_its_data()
    {
        var dir = db.NewDirectory("second");
        var clock = Stopwatch.StartNew();
        int pid;
        using (var server = MariaDbServer.Start(dir))
        {
            output.WriteLine($"fresh start (install-db + start): {clock.ElapsedMilliseconds} ms");
            Assert.NotEqual(db.Server.Port, server.Port);
            server.Query("CREATE DATABASE kept;");
            pid = server.ProcessId;
            clock.Restart();
        }
        output.WriteLine($"stop: {clock.ElapsedMilliseconds} ms");
        Assert.False(ProcessExists(pid));
        Assert.False(File.Exists(Path.Combine(dir, "mysql.sock")));

        clock.Restart();
        using (var again = MariaDbServer.Start(dir))
        {
            output.WriteLine($"restart on existing data: {clock.ElapsedMilliseconds} ms");
            Assert.Contains("kept", again.Query("SHOW DATABASES;"));
            again.Stop();
            Assert.False(again.IsRunning);
        }
    }

    [Fact]
    public void Locates_the_server_binaries_under_either_name()
    {
        var tools = MariaDbTools.Locate();
        Assert.Contains(Path.GetFileName(tools.Server), new[] { "mariadbd", "mysqld" });
        Assert.True(File.Exists(tools.Client));
    }

    private static string LoginQuery(string optionFile, string database, string sql)
    {
        var result = Run(optionFile, database, sql);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Trim();
    }

    internal static ProcessResult Run(string optionFile, string? database, string sql)
    {
        // --defaults-file must come first; the password is only in the 0600 file.
        var args = new List<string> { $"--defaults-file={optionFile}", "-N", "-B" };
        if (database is not null) args.Add($"--database={database}");
        return ProcessRunner.Run(MariaDbTools.Locate().Client, args, standardInput: sql);
    }

    private static bool ProcessExists(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }
}
