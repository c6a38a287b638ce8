using System.Diagnostics;
using System.Text;
using WpBackup.Core.Sites;

namespace WpBackup.Tests.Sites;

public class WpConfigParserTests
{
    private const string ConfigPath = "/srv/www/example/wp-config.php";

    /// <summary>Decodes the bytes as they are: a byte order mark stays in the text, as a reader might leave it.</summary>
    private static WpConfig ParseCorpus(string file) =>
        WpConfigParser.Parse(Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Sites", "Corpus", file))));

    private static DatabaseSettings Settings(string file) => ParseCorpus(file).ToDatabaseSettings(ConfigPath);

    private static void AssertLiteral(WpConfig config, string name, string expected)
    {
        PhpValue? value = config.GetConstant(name);
        Assert.NotNull(value);
        Assert.Equal(expected, value.Literal);
        Assert.False(value.IsConditional, $"{name} should be unconditional");
    }

    private static void AssertComputed(WpConfig config, string name, string expression)
    {
        PhpValue? value = config.GetConstant(name);
        Assert.NotNull(value);
        Assert.False(value.IsLiteral);
        Assert.Null(value.Literal);
        Assert.Equal(expression, value.Expression);
    }

    private static void AssertDatabase(
        DatabaseSettings settings, string name, string user, string password, string host, int? port = null,
        string? socket = null, string prefix = "wp_", string charset = "utf8mb4")
    {
        Assert.Empty(settings.Unresolved);
        Assert.True(settings.IsResolved);
        Assert.Equal(name, settings.Name);
        Assert.Equal(user, settings.User);
        Assert.Equal(password, settings.Password);
        Assert.Equal(host, settings.Host);
        Assert.Equal(port, settings.Port);
        Assert.Equal(socket, settings.Socket);
        Assert.Equal(prefix, settings.TablePrefix);
        Assert.Equal(charset, settings.Charset);
    }

    [Fact]
    public void StockSampleFromTheWordPressPackage()
    {
        var config = ParseCorpus("stock-sample.php");

        Assert.Equal(
            ["DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST", "DB_CHARSET", "DB_COLLATE", "AUTH_KEY", "SECURE_AUTH_KEY",
             "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT", "WP_DEBUG", "ABSPATH"],
            config.Constants.Keys);
        AssertLiteral(config, "DB_COLLATE", "");
        AssertLiteral(config, "NONCE_SALT", "put your unique phrase here");
        AssertLiteral(config, "WP_DEBUG", "false");
        var abspath = config.GetConstant("ABSPATH")!;
        Assert.Equal("__DIR__ . '/'", abspath.Expression);
        Assert.True(abspath.IsConditional);
        Assert.Equal("'wp_'", config.TablePrefix!.Expression);
        Assert.Empty(config.Includes);
        Assert.Empty(config.ComputedIncludes);
        Assert.Empty(config.DefinedMoreThanOnce);
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "database_name_here", "username_here", "password_here",
            "localhost", charset: "utf8");
    }

    [Fact]
    public void DebianRequireOnlyConfigNamesWhatItIncludes()
    {
        var config = ParseCorpus("debian-require-only.php");

        Assert.Equal(["/etc/wordpress/config-default.php"], config.Includes);
        Assert.Equal(["$debian_file", "$debian_main_file"], config.ComputedIncludes);
        Assert.Equal(["DEBIAN_FILE"], config.DefinedMoreThanOnce);
        Assert.Null(config.GetConstant("DB_PASSWORD"));
        var name = config.GetConstant("DB_NAME")!;
        Assert.Equal("wordpress", name.Literal);
        Assert.True(name.IsConditional);
        Assert.True(config.TablePrefix!.IsConditional);

        var settings = config.ToDatabaseSettings("/usr/share/wordpress/wp-config.php");
        const string includes = "/etc/wordpress/config-default.php, $debian_file, $debian_main_file";
        Assert.Equal(
        [
            "DB_NAME is set only under a condition in /usr/share/wordpress/wp-config.php (to 'wordpress'), so PHP may skip it; "
                + $"the file also includes {includes}, which may set it first. Use -DatabaseName to give it.",
            "DB_USER is set only under a condition in /usr/share/wordpress/wp-config.php (to 'wordpress'), so PHP may skip it; "
                + $"the file also includes {includes}, which may set it first. Use -DatabaseCredential to give it.",
            $"DB_PASSWORD is not defined in /usr/share/wordpress/wp-config.php (it includes {includes}). Use -DatabaseCredential to give it.",
            "DB_HOST is set only under a condition in /usr/share/wordpress/wp-config.php (to 'localhost'), so PHP may skip it; "
                + $"the file also includes {includes}, which may set it first. Use -DatabaseHost to give it.",
        ], settings.Unresolved.Select(u => u.Problem));
        Assert.Equal("", settings.Name);
        Assert.False(settings.HasPassword);
        Assert.Equal("localhost", settings.Host);
    }

    [Fact]
    public void DebianHostConfigEndingWithCloseTag()
    {
        var config = ParseCorpus("debian-host-config.php");

        AssertLiteral(config, "WP_CONTENT_DIR", "/srv/www/wp-content/blog.example.org");
        Assert.Null(config.TablePrefix);
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "blog_example_org", "blog_example_org", "Kx7pQ2vLw9", "localhost");
    }

    [Fact]
    public void DoubleQuotedStringsDecodeEveryPhpEscape()
    {
        var config = ParseCorpus("double-quotes.php");

        Assert.Equal("\"q\\\"u\\\\o\\$te\\tA\\x41\\101\\u{e9}\\q\"", config.GetConstant("DB_PASSWORD")!.Expression);
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "shop", "shop_admin", "q\"u\\o$te\tAAAé\\q", "db.internal",
            prefix: "shop_");
    }

    [Fact]
    public void SingleQuotedStringsKnowOnlyTwoEscapes()
    {
        var config = ParseCorpus("escaped-single-quotes.php");

        AssertLiteral(config, "AUTH_KEY", "x]'Y;>qB|z\\");
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "o'brien_db", "obrien", "it's a \\ back\\slash\\n", "localhost");
    }

    [Fact]
    public void OddSpacingNewlinesCaseAndLeadingBackslash()
    {
        AssertDatabase(Settings("odd-spacing.php"), "spaced_db", "tight", "sp ace", "localhost", prefix: "sp_", charset: "utf8");
    }

    [Fact]
    public void CommentedOutDefinesDoNotCount()
    {
        var config = ParseCorpus("comments.php");

        Assert.Equal(["DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST"], config.Constants.Keys);
        Assert.Empty(config.DefinedMoreThanOnce);
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "real_db", "real_user", "pa//ss#wo/*rd*/", "localhost", prefix: "c_");
    }

    [Fact]
    public void HostWithPort()
    {
        AssertDatabase(Settings("host-port.php"), "portdb", "portuser", "portpass", "127.0.0.1", port: 3307);
    }

    [Fact]
    public void HostWithSocket()
    {
        AssertDatabase(Settings("host-socket.php"), "sockdb", "sockuser", "sockpass", "localhost",
            socket: "/var/run/mysqld/mysqld.sock");
    }

    [Fact]
    public void IPv6HostWithPort()
    {
        AssertDatabase(Settings("ipv6.php"), "v6db", "v6user", "v6pass", "::1", port: 3307);
    }

    [Fact]
    public void LastTablePrefixAssignmentWins()
    {
        var config = ParseCorpus("custom-prefix.php");

        Assert.Equal("\"blog2_\"", config.TablePrefix!.Expression);
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "multi", "multi", "multi", "localhost", prefix: "blog2_");
    }

    [Fact]
    public void FirstDefineWinsAndRepeatsAreReported()
    {
        var config = ParseCorpus("defined-twice.php");

        Assert.Equal(["DB_NAME", "DB_PASSWORD"], config.DefinedMoreThanOnce);
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "first_db", "first_user", "first_pass", "localhost");
    }

    [Fact]
    public void ByteOrderMarkAndCrLfLineEndings()
    {
        var config = ParseCorpus("bom-crlf.php");

        Assert.Equal(["DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST"], config.Constants.Keys);
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "windows_db", "windows_user", "line1\r\nline2", "localhost",
            prefix: "win_");
    }

    [Fact]
    public void BareCarriageReturnsEndLineComments()
    {
        AssertDatabase(Settings("cr-only.php"), "mac_db", "mac_user", "mac_pass", "localhost");
    }

    [Fact]
    public void GetenvValuesAreComputedAndNamed()
    {
        var config = ParseCorpus("getenv.php");

        AssertComputed(config, "DB_USER", "$_ENV['WP_DB_USER'] ?? 'fallback_user'");
        AssertComputed(config, "DB_PASSWORD", "getenv('WP_DB_PASS')");
        AssertComputed(config, "DB_HOST", "getenv( 'WP_DB_HOST' ) ?: 'localhost'");

        var settings = config.ToDatabaseSettings(ConfigPath);
        Assert.Equal(
        [
            $"DB_USER is computed: $_ENV['WP_DB_USER'] ?? 'fallback_user' (in {ConfigPath}). Use -DatabaseCredential to give it.",
            $"DB_PASSWORD is computed: getenv('WP_DB_PASS') (in {ConfigPath}). Use -DatabaseCredential to give it.",
            $"DB_HOST is computed: getenv( 'WP_DB_HOST' ) ?: 'localhost' (in {ConfigPath}). Use -DatabaseHost to give it.",
        ], settings.Unresolved.Select(u => u.Problem));
        Assert.Equal("envdb", settings.Name);
        Assert.False(settings.HasPassword);
    }

    [Fact]
    public void DockerImageConfigShowsWhichVariableButNeverThePasswordDefault()
    {
        var config = ParseCorpus("docker.php");

        AssertComputed(config, "DB_PASSWORD", "getenv_docker('WORDPRESS_DB_PASSWORD', 'example password')");
        AssertComputed(config, "DB_CHARSET", "getenv_docker('WORDPRESS_DB_CHARSET', 'utf8')");
        Assert.Equal("getenv_docker('WORDPRESS_TABLE_PREFIX', 'wp_')", config.TablePrefix!.Expression);
        Assert.Null(config.TablePrefix.Literal);
        // getenv_docker() is declared inside an if block and uses return and else: none of that may unbalance the blocks.
        Assert.False(config.GetConstant("DB_NAME")!.IsConditional);
        Assert.True(config.GetConstant("ABSPATH")!.IsConditional);

        var settings = config.ToDatabaseSettings(ConfigPath);
        Assert.Equal(
        [
            $"DB_NAME is computed: getenv_docker('WORDPRESS_DB_NAME', 'wordpress') (in {ConfigPath}). Use -DatabaseName to give it.",
            $"DB_USER is computed: getenv_docker('WORDPRESS_DB_USER', 'example username') (in {ConfigPath}). Use -DatabaseCredential to give it.",
            $"DB_PASSWORD is computed: getenv_docker('WORDPRESS_DB_PASSWORD', '***') (in {ConfigPath}). Use -DatabaseCredential to give it.",
            $"DB_HOST is computed: getenv_docker('WORDPRESS_DB_HOST', 'mysql') (in {ConfigPath}). Use -DatabaseHost to give it.",
        ], settings.Unresolved.Select(u => u.Problem));
        Assert.Equal("wp_", settings.TablePrefix);
        Assert.Equal("utf8mb4", settings.Charset);
    }

    [Fact]
    public void ConcatenationIsComputedAndPasswordPartsAreHidden()
    {
        var config = ParseCorpus("concatenation.php");

        AssertComputed(config, "DB_NAME", "'wp_' . $site");
        AssertComputed(config, "DB_USER", "'user_'.'shop'");
        AssertComputed(config, "DB_HOST", "DB_SERVER . ':3306'");
        AssertLiteral(config, "DB_SERVER", "db1.example.net");
        Assert.Equal("$site . '_'", config.TablePrefix!.Expression);

        var settings = config.ToDatabaseSettings(ConfigPath);
        Assert.Equal(
        [
            $"DB_NAME is computed: 'wp_' . $site (in {ConfigPath}). Use -DatabaseName to give it.",
            $"DB_USER is computed: 'user_'.'shop' (in {ConfigPath}). Use -DatabaseCredential to give it.",
            $"DB_PASSWORD is computed: '***' . '***' . *** (in {ConfigPath}). Use -DatabaseCredential to give it.",
            $"DB_HOST is computed: DB_SERVER . ':3306' (in {ConfigPath}). Use -DatabaseHost to give it.",
        ], settings.Unresolved.Select(u => u.Problem));
    }

    [Fact]
    public void TextAfterCloseTagIsNotPhp()
    {
        var config = ParseCorpus("close-tag-trailing.php");

        Assert.Equal(["DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST"], config.Constants.Keys);
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "tagdb", "taguser", "tag?>pass", "localhost");
    }

    [Fact]
    public void DefinesInsideIfElseOrAfterOrAreConditional()
    {
        var config = ParseCorpus("conditional-environments.php");

        foreach (var name in new[] { "WP_LOCAL_DEV", "DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST", "WP_DEBUG", "WP_CACHE" })
        {
            Assert.True(config.GetConstant(name)!.IsConditional, $"{name} should be conditional");
        }
        AssertLiteral(config, "DB_CHARSET", "utf8mb4");
        Assert.Equal("production_db", config.GetConstant("DB_NAME")!.Literal);
        Assert.Equal(["dirname( __FILE__ ) . '/local-config.php'"], config.ComputedIncludes);

        var settings = config.ToDatabaseSettings(ConfigPath);
        const string note = "; the file also includes dirname( __FILE__ ) . '/local-config.php', which may set it first.";
        Assert.Equal(
        [
            $"DB_NAME is set only under a condition in {ConfigPath} (to 'production_db'), so PHP may skip it{note} Use -DatabaseName to give it.",
            $"DB_USER is set only under a condition in {ConfigPath} (to 'production_user'), so PHP may skip it{note} Use -DatabaseCredential to give it.",
            $"DB_PASSWORD is set only under a condition in {ConfigPath} (to '***'), so PHP may skip it{note} Use -DatabaseCredential to give it.",
            $"DB_HOST is set only under a condition in {ConfigPath} (to 'mysql.example.com'), so PHP may skip it{note} Use -DatabaseHost to give it.",
        ], settings.Unresolved.Select(u => u.Problem));
        Assert.Equal("env_", settings.TablePrefix);
    }

    [Fact]
    public void TopLevelConstButNotClassConstants()
    {
        var config = ParseCorpus("const-syntax.php");

        Assert.Equal(["DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST"], config.Constants.Keys);
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "const_db", "const_user", "const_pass", "localhost", port: 3306,
            prefix: "k_");
    }

    [Fact]
    public void HeredocTextIsNotCodeAndANowdocValueIsComputed()
    {
        var config = ParseCorpus("heredoc.php");

        Assert.Equal(["DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST"], config.Constants.Keys);
        AssertLiteral(config, "DB_NAME", "after_heredoc");
        AssertLiteral(config, "DB_USER", "user");
        AssertComputed(config, "DB_PASSWORD", "<<<'PASS'\nnowdoc-secret\nPASS");
        Assert.Equal(
            [$"DB_PASSWORD is computed: '***' (in {ConfigPath}). Use -DatabaseCredential to give it."],
            config.ToDatabaseSettings(ConfigPath).Unresolved.Select(u => u.Problem));
    }

    [Fact]
    public void UnicodeValuesAndNonStringLiterals()
    {
        var config = ParseCorpus("wp-cli-unicode.php");

        AssertLiteral(config, "WP_POST_REVISIONS", "5");
        AssertLiteral(config, "WP_DEBUG", "false");
        AssertLiteral(config, "FS_CHMOD_FILE", "0644");
        AssertLiteral(config, "OFFSET", "-3");
        AssertLiteral(config, "NOTHING", "null");
        AssertLiteral(config, "DB_CHARSET", "");
        AssertDatabase(config.ToDatabaseSettings(ConfigPath), "wörterbuch", "root", "pässwörd€✓", "db.example.com", port: 3306);
    }

    [Fact]
    public void InvalidPortIsUnresolvedWithTheOverride()
    {
        var settings = Settings("invalid-port.php");

        Assert.Equal(
        [
            "DB_HOST 'localhost:mysql' is not valid: the port 'mysql' is not a number from 1 to 65535. WordPress accepts host, "
                + $"host:port, host:/socket/path and [IPv6]:port. Use -DatabaseHost to give the host instead of the one in {ConfigPath}.",
        ], settings.Unresolved.Select(u => u.Problem));
        Assert.Equal("", settings.Password);
        Assert.True(settings.HasPassword);
        Assert.Equal("localhost", settings.Host);
        Assert.Null(settings.Port);
    }

    [Fact]
    public void MissingConstantsAreNamedWithTheirOverride()
    {
        var settings = WpConfigParser.Parse("<?php\ndefine('DB_NAME', 'only_name');\n").ToDatabaseSettings(ConfigPath);

        Assert.Equal(
        [
            $"DB_USER is not defined in {ConfigPath}. Use -DatabaseCredential to give it.",
            $"DB_PASSWORD is not defined in {ConfigPath}. Use -DatabaseCredential to give it.",
            $"DB_HOST is not defined in {ConfigPath}. Use -DatabaseHost to give it.",
        ], settings.Unresolved.Select(u => u.Problem));
        Assert.Equal("only_name", settings.Name);
        Assert.Equal("localhost", settings.Host);
    }

    [Fact]
    public void NoMessageEverContainsAPassword()
    {
        string[] secrets = ["production_password", "example password", "Secret", "Tail", "nowdoc-secret", "hunter2", "42"];
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Sites", "Corpus")).Select(Path.GetFileName);
        var inline = WpConfigParser.Parse("<?php define('DB_PASSWORD', trim('hunter2') /* was: hunter2 */); if (1) define('DB_NAME', 'x');");

        var messages = files.SelectMany(f => Settings(f!).Unresolved).Concat(inline.ToDatabaseSettings(ConfigPath).Unresolved).Select(u => u.Problem).ToList();

        Assert.Contains(messages, m => m.StartsWith("DB_PASSWORD is computed: trim('***')", StringComparison.Ordinal));
        foreach (var message in messages)
        {
            Assert.DoesNotContain(secrets, message.Contains);
        }
    }

    [Theory]
    [InlineData("<?php define('A', 1); #[Attribute] define('B', 2);", "A,B")]
    [InlineData("<?php // define('A', 1); ?> define('B', 2); <?php define('C', 3);", "C")]
    [InlineData("<?php $obj->define('A', 1); Foo::define('B', 2); function define($a, $b) {} define('C', 3);", "C")]
    [InlineData("<?php define($name, 1); define('A' . 'B', 2); define('C'); define('D', 4", "")]
    [InlineData("<?php define('db_name', 'lower'); define('DB_NAME', 'upper');", "db_name,DB_NAME")]
    [InlineData("<?= 'x' ?><?php define('A', 1) ?><? define('B', 2);", "A,B")]
    [InlineData("no php here define('A', 1); <?phpx define('B', 2);", "")]
    [InlineData("<?php\n/* unterminated define('A', 1);", "")]
    [InlineData("<?php $x = 'unterminated define(\\'A\\', 1);", "")]
    public void RecognisesOnlyRealDefines(string php, string expectedNames)
    {
        Assert.Equal(expectedNames, string.Join(',', WpConfigParser.Parse(php).Constants.Keys));
    }

    [Theory]
    [InlineData("'plain'", "plain")]
    [InlineData("\"\\u{1F600}\"", "😀")]
    [InlineData("\"\\xc3\\xa9\"", "é")]
    [InlineData("\"\\400\"", "\0")]
    [InlineData("\"\\e\\v\\f\\0\"", "\u001b\v\f\0")]
    [InlineData("\"cost: $ 5\"", "cost: $ 5")]
    [InlineData("\"\\$escaped\"", "$escaped")]
    [InlineData("('parenthesised')", "parenthesised")]
    [InlineData("TRUE", "true")]
    [InlineData("0x1A", "0x1A")]
    [InlineData("+1.5", "+1.5")]
    public void LiteralValues(string source, string expected)
    {
        var value = WpConfigParser.Parse($"<?php define('X', {source});").GetConstant("X")!;

        Assert.Equal(expected, value.Literal);
        Assert.Equal(source, value.Expression);
    }

    [Theory]
    [InlineData("\"$user\"")]
    [InlineData("\"{$config['pass']}\"")]
    [InlineData("\"${pass}\"")]
    [InlineData("`cat /etc/secret`")]
    [InlineData("<<<EOT\n  text\n  EOT")]
    [InlineData("PHP_EOL")]
    [InlineData("-PHP_INT_MAX")]
    [InlineData("base64_decode('c2VjcmV0')")]
    [InlineData("$config['db']['name']")]
    [InlineData("array_map(function ($v) { return trim($v); }, ['a'])[0]")]
    public void ComputedValuesKeepTheirSource(string source)
    {
        var value = WpConfigParser.Parse($"<?php define('X', {source}); define('Y', 'after');").GetConstant("X")!;

        Assert.Null(value.Literal);
        Assert.Equal(source, value.Expression);
    }

    [Theory]
    [InlineData("define('X', 1);", false)]
    [InlineData("if ($a) define('X', 1);", true)]
    [InlineData("if ($a) { } else define('X', 1);", true)]
    [InlineData("if ($a) { } define('X', 1);", false)]
    [InlineData("if ($a): define('Y', 0); define('X', 1); endif;", true)]
    [InlineData("if ($a): else: endif; define('X', 1);", false)]
    [InlineData("while ($a) : endwhile; define('X', 1);", false)]
    [InlineData("$a = $b ? f() : g(); define('X', 1);", false)]
    [InlineData("defined('X') || define('X', 1);", true)]
    [InlineData("function f() { define('X', 1); }", true)]
    [InlineData("@define('X', 1);", false)]
    [InlineData("for ($i = 0; $i < 1; $i++) define('X', 1);", true)]
    public void ConditionalDefines(string php, bool conditional)
    {
        Assert.Equal(conditional, WpConfigParser.Parse("<?php " + php).GetConstant("X")!.IsConditional);
    }

    [Theory]
    [InlineData("require_once('/etc/wordpress/config-a.php');", "/etc/wordpress/config-a.php", "")]
    [InlineData("include \"/etc/b.php\";", "/etc/b.php", "")]
    [InlineData("REQUIRE '/etc/c.php' ?>", "/etc/c.php", "")]
    [InlineData("include_once __DIR__ . '/local.php';", "", "__DIR__ . '/local.php'")]
    [InlineData("require_once(ABSPATH . 'wp-settings.php');", "", "")]
    [InlineData("$loader->include('/not/a/statement.php');", "", "")]
    public void Includes(string php, string literal, string computed)
    {
        var config = WpConfigParser.Parse("<?php " + php);

        Assert.Equal(literal, string.Join('|', config.Includes));
        Assert.Equal(computed, string.Join('|', config.ComputedIncludes));
    }

    [Theory]
    [InlineData("$table_prefix = 'a_'; $table_prefix = 'b_';", "b_", "'b_'")]
    [InlineData("$table_prefix = 'a_'; $table_prefix .= 'b_';", null, "$table_prefix .= 'b_'")]
    [InlineData("$table_prefix = 'a_'; if ($table_prefix === 'a_') {}", "a_", "'a_'")]
    [InlineData("global $table_prefix; $table_prefix = \"x_\";", "x_", "\"x_\"")]
    public void TablePrefix(string php, string? literal, string expression)
    {
        var prefix = WpConfigParser.Parse("<?php " + php).TablePrefix!;

        Assert.Equal(literal, prefix.Literal);
        Assert.Equal(expression, prefix.Expression);
    }

    [Fact]
    public void BinaryGarbageYieldsNothingAndDoesNotThrow()
    {
        var config = ParseCorpus("binary-garbage.bin");

        Assert.Empty(config.Constants);
        Assert.Null(config.TablePrefix);
        Assert.Empty(config.Includes);
        Assert.Equal(4, config.ToDatabaseSettings(ConfigPath).Unresolved.Count);
    }

    [Fact]
    public void NullOrEmptyInputYieldsAnEmptyConfig()
    {
        Assert.Empty(WpConfigParser.Parse(null!).Constants);
        Assert.Empty(WpConfigParser.Parse("").Constants);
    }

    [Fact]
    public void LargeAndPathologicalFilesFinishQuickly()
    {
        var large = new StringBuilder("\uFEFF<?php\r\n");
        for (int i = 0; i < 200_000; i++)
        {
            large.Append("// setting ").Append(i).Append(" /* with */ 'quotes\" and # marks\r\n");
            large.Append("define( 'SETTING_").Append(i).Append("', \"value \\x41 ").Append(i).Append("\" ); # done\r\n");
        }
        large.Append("define( 'DB_NAME', 'after_all_that' );\r\n");
        string[] pathological =
        [
            "<?php define('X', " + new string('(', 1_000_000),
            "<?php " + string.Concat(Enumerable.Repeat("define(", 300_000)),
            "<?php " + string.Concat(Enumerable.Repeat("if(", 300_000)),
            "<?php $a = \"" + string.Concat(Enumerable.Repeat("\\x4", 300_000)),
            "<?php $a = <<<EOT\n" + string.Concat(Enumerable.Repeat("EOTX\n", 300_000)),
            string.Concat(Enumerable.Repeat("<?php ?>", 300_000)),
            "<?php " + string.Concat(Enumerable.Repeat("{", 500_000)) + "define('X', 1);",
        ];

        var stopwatch = Stopwatch.StartNew();
        var config = WpConfigParser.Parse(large.ToString());
        foreach (var text in pathological)
        {
            WpConfigParser.Parse(text);
        }
        stopwatch.Stop();

        Assert.Equal(200_001, config.Constants.Count);
        Assert.Equal("value A 199999", config.GetConstant("SETTING_199999")!.Literal);
        AssertLiteral(config, "DB_NAME", "after_all_that");
        // A generous bound: it catches quadratic behaviour, which would take hours here, not ordinary slowness.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }
}
