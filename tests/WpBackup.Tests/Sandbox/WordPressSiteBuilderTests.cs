using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using WpBackup.Sandbox;
using Xunit.Abstractions;

namespace WpBackup.Tests.Sandbox;

[SupportedOSPlatform("linux")] // unix sockets, file modes, Debian packages
[Collection("mariadb")]
public sealed class WordPressSiteBuilderTests(MariaDbFixture db, ITestOutputHelper output)
{
    private static readonly string[] CoreTables =
    [
        "commentmeta", "comments", "links", "options", "postmeta", "posts",
        "term_relationships", "term_taxonomy", "termmeta", "terms", "usermeta", "users",
    ];

    [Fact]
    public void Builds_a_real_populated_site_whose_awkward_password_works()
    {
        var root = Path.Combine(db.NewDirectory("site"), "htdocs");
        var options = new SiteOptions { HostName = "builder.example", TablePrefix = "wpt_" };
        var clock = Stopwatch.StartNew();
        var site = WordPressSiteBuilder.Build(root, db.Server, options);
        output.WriteLine($"built {site} with {site.PostCount} posts and {site.UploadsFileCount} uploads " +
                         $"({site.UploadsBytes:N0} bytes) in {clock.ElapsedMilliseconds} ms; WordPress {site.WordPressVersion}");
        try
        {
            Assert.Equal(300, site.PostCount);
            Assert.All(SecretGenerator.AwkwardCharacters, c => Assert.Contains(c, site.Password));
            Assert.DoesNotContain(site.Password, site.ToString());

            // Log in as the site's own account, password only in a 0600 option file: over TCP and the socket.
            var dir = db.NewDirectory("cnf");
            var tcp = ClientOptionFile.WriteForSite(Path.Combine(dir, "tcp.cnf"), site);
            var sock = ClientOptionFile.WriteForSite(Path.Combine(dir, "sock.cnf"), site, useSocket: true);
            Assert.Equal($"{site.User}@127.0.0.1", AsSite(tcp, site, "SELECT CURRENT_USER();"));
            Assert.Equal($"{site.User}@localhost", AsSite(sock, site, "SELECT CURRENT_USER();"));

            // The 12 core tables, with the chosen prefix.
            var tables = AsSite(tcp, site, "SHOW TABLES;").Split('\n');
            Assert.Equal(CoreTables.Select(t => "wpt_" + t).Order(), tables.Order());

            Assert.Equal("http://builder.example", AsSite(tcp, site, "SELECT option_value FROM wpt_options WHERE option_name = 'siteurl';"));
            Assert.Equal("http://builder.example", site.SiteUrl);
            Assert.Equal("301", AsSite(tcp, site,
                "SELECT COUNT(*) FROM wpt_posts WHERE post_type = 'post' AND post_status = 'publish';")); // + "Hello world!"

            // 4-byte UTF-8 survived PHP -> mysqli -> InnoDB -> client, byte for byte.
            var hex = AsSite(tcp, site, $"SELECT HEX(post_title) FROM wpt_posts WHERE post_title = {SqlText.Literal(DemoContent.UnicodeTitle)};");
            Assert.Equal(Convert.ToHexString(Encoding.UTF8.GetBytes(DemoContent.UnicodeTitle)), hex);

            // Serialized PHP arrays in post meta, with byte (not character) lengths.
            const string note = "it's \"quoted\", back\\slashed, ünïcödé 🎉";
            var meta = AsSite(tcp, site, $"SELECT meta_value FROM wpt_postmeta WHERE meta_key = '{DemoContent.SerializedMetaKey}' ORDER BY meta_id LIMIT 1;");
            Assert.StartsWith("a:4:{", meta);
            Assert.Contains($"s:{Encoding.UTF8.GetByteCount(note)}:\"{note}\";", meta);
            Assert.Equal("300", AsSite(tcp, site, $"SELECT COUNT(*) FROM wpt_postmeta WHERE meta_key = '{DemoContent.SerializedMetaKey}';"));

            // wp-config.php: the password as an escaped PHP literal, mode 0640.
            var config = File.ReadAllText(site.ConfigPath);
            Assert.Contains($"define( 'DB_PASSWORD', {PhpText.SingleQuoted(site.Password)} );", config);
            Assert.Contains($"define( 'DB_HOST', '127.0.0.1:{db.Server.Port}' );", config);
            Assert.Contains("$table_prefix = 'wpt_';", config);
            Assert.DoesNotContain("put your unique phrase here", config);
            Assert.Equal(WpConfigWriter.ConfigMode, File.GetUnixFileMode(site.ConfigPath));

            // Debian's symlinks were dereferenced; the only link is the one the builder made.
            var links = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
                .Where(p => new FileInfo(p).LinkTarget is not null || new DirectoryInfo(p).LinkTarget is not null)
                .Select(p => Path.GetRelativePath(root, p))
                .ToList();
            Assert.Equal(["wp-content/uploads/latest"], links);
            Assert.Equal("2026/11", new DirectoryInfo(Path.Combine(site.UploadsDir, "latest")).LinkTarget);
            Assert.True(File.Exists(Path.Combine(root, "wp-includes/js/underscore.min.js")));
            Assert.True(File.Exists(Path.Combine(root, ".htaccess")));

            // Uploads: about 4 MB, both incompressible and text files, sizes add up.
            var uploads = Directory.EnumerateFiles(Path.Combine(site.UploadsDir), "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Select(p => new FileInfo(p)).ToList();
            Assert.Equal(site.UploadsFileCount, uploads.Count);
            Assert.Equal(site.UploadsBytes, uploads.Sum(f => f.Length));
            Assert.InRange(site.UploadsBytes, 4L * 1024 * 1024, 4L * 1024 * 1024 + 1024);
            Assert.Contains(uploads, f => f.Extension == ".jpg");
            Assert.Contains(uploads, f => f.Extension is ".txt" or ".csv");
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(site.UploadsDir, "2026", "11")));
        }
        finally
        {
            db.Server.DropDatabase(site.DatabaseName, site.User);
        }
    }

    [Fact]
    public void Uploads_are_deterministic_for_a_seed()
    {
        var a = db.NewDirectory("upa");
        var b = db.NewDirectory("upb");
        UploadsGenerator.Generate(a, 1_000_000, seed: 7, new DateOnly(2026, 11, 1), 0.5);
        UploadsGenerator.Generate(b, 1_000_000, seed: 7, new DateOnly(2026, 11, 1), 0.5);
        Assert.Equal(Fingerprint(a), Fingerprint(b));
    }

    [Fact]
    public void Php_single_quoted_literal_evaluates_to_the_original_text()
    {
        var text = SecretGenerator.AwkwardPassword() + "\\'\\\\ ü🎉 \\";
        var result = ProcessRunner.Run(ToolLocator.Find("php"), [], standardInput: $"<?php echo {PhpText.SingleQuoted(text)};");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(text, result.StandardOutput);
    }

    private static string AsSite(string optionFile, DemoSite site, string sql)
    {
        var result = ProcessRunner.Run(site.Server.Tools.Client,
            [$"--defaults-file={optionFile}", "-N", "-B", "-r", $"--database={site.DatabaseName}"], standardInput: sql);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.TrimEnd('\n');
    }

    private static string Fingerprint(string dir) => string.Join("\n",
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(dir, p)} {File.GetLastWriteTimeUtc(p):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))}")
            .Order());
}
