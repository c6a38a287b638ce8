using WpBackup.Core.Errors;
using WpBackup.Core.Sites;

namespace WpBackup.Tests.Sites;

public class DatabaseHostParserTests
{
    [Theory]
    [InlineData("localhost", "localhost", null, null, false)]
    [InlineData("db.example.com", "db.example.com", null, null, false)]
    [InlineData("127.0.0.1:3307", "127.0.0.1", 3307, null, false)]
    [InlineData("localhost:/var/run/mysqld/mysqld.sock", "localhost", null, "/var/run/mysqld/mysqld.sock", false)]
    [InlineData("localhost:3307:/tmp/mysql.sock", "localhost", 3307, "/tmp/mysql.sock", false)]
    [InlineData(":/tmp/mysql.sock", "localhost", null, "/tmp/mysql.sock", false)]
    [InlineData("", "localhost", null, null, false)]
    [InlineData("[::1]:3307", "::1", 3307, null, true)]
    [InlineData("[::1]", "::1", null, null, true)]
    [InlineData("::1", "::1", null, null, true)]
    [InlineData("2001:db8::10", "2001:db8::10", null, null, true)]
    [InlineData("[2001:db8::10]:3306:/run/mysql.sock", "2001:db8::10", 3306, "/run/mysql.sock", true)]
    [InlineData("db:65535", "db", 65535, null, false)]
    [InlineData("db:0", "db", null, null, false)]
    [InlineData("db:00", "db", null, null, false)]
    [InlineData("db:03306", "db", 3306, null, false)]
    public void ParsesAsWordPressDoes(string dbHost, string host, int? port, string? socket, bool isIPv6)
    {
        Assert.Equal(new DatabaseHost(host, port, socket, isIPv6), DatabaseHostParser.Parse(dbHost));
    }

    [Theory]
    [InlineData("localhost:abc", "the port 'abc' is not a number from 1 to 65535")]
    [InlineData("localhost:", "the port '' is not a number from 1 to 65535")]
    [InlineData("localhost:65536", "the port '65536' is not a number from 1 to 65535")]
    [InlineData("localhost:99999999999999999999", "the port '99999999999999999999' is not a number from 1 to 65535")]
    [InlineData("localhost:3306x", "the port '3306x' is not a number from 1 to 65535")]
    [InlineData("localhost:-1", "the port '-1' is not a number from 1 to 65535")]
    [InlineData("[::1]:port", "the port 'port' is not a number from 1 to 65535")]
    [InlineData("localhost/var/run/mysqld.sock", "'/var/run/mysqld.sock' is neither a port nor a socket path")]
    [InlineData("fe80::1%eth0", "'%eth0' is neither a port nor a socket path")]
    [InlineData("[zz::]:3306", "'[zz::]:3306' is not an IPv6 address")]
    public void RejectsWhatItCannotUse(string dbHost, string problem)
    {
        var error = Assert.Throws<WpConfigException>(() => DatabaseHostParser.Parse(dbHost));

        Assert.Equal(
            $"DB_HOST '{dbHost}' is not valid: {problem}. WordPress accepts host, host:port, host:/socket/path and [IPv6]:port.",
            error.Message);
        Assert.Equal(DatabaseHostParser.InvalidHostErrorId, error.ErrorId);
        Assert.Equal(FailureKind.ConfigParse, error.Kind);
    }
}
