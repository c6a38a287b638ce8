using System.Globalization;
using System.Text.Json;

namespace WpBackup.Sandbox;

/// <summary>What WordPress's installer reported back.</summary>
public sealed record InstallResult(string WordPressVersion, string SiteUrl, int PostsInserted);

/// <summary>
/// Runs WordPress's own installer (wp_install) and content API (wp_insert_post) with php-cli.
/// The PHP script goes to php on stdin, so the admin password it carries never appears in
/// an argument list or a file; the database password is read by WordPress from wp-config.php.
/// </summary>
public static class WordPressInstaller
{
    private const string Marker = "WPBACKUP-SANDBOX-RESULT ";

    public static InstallResult Install(string siteRoot, SiteOptions options, string adminPassword, string adminEmail)
    {
        var php = ToolLocator.Find("php");
        var script = Script(Path.GetFullPath(siteRoot), options, adminPassword, adminEmail);
        var result = ProcessRunner.Run(php,
            ["-d", "display_errors=stderr", "-d", "log_errors=0", "-d", "memory_limit=512M"],
            standardInput: script,
            timeout: TimeSpan.FromMinutes(10),
            workingDirectory: siteRoot);

        var line = result.StandardOutput.Split('\n').LastOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        if (result.ExitCode != 0 || line is null)
        {
            var output = (result.StandardError + "\n" + result.StandardOutput).Trim().Replace(adminPassword, "***");
            throw new InvalidOperationException($"The WordPress installer failed (php exit {result.ExitCode}): {output}");
        }
        using var json = JsonDocument.Parse(line[Marker.Length..]);
        var root = json.RootElement;
        return new InstallResult(
            root.GetProperty("version").GetString()!,
            root.GetProperty("siteurl").GetString()!,
            root.GetProperty("posts").GetInt32());
    }

    private static string Script(string siteRoot, SiteOptions o, string adminPassword, string adminEmail)
    {
        static string Q(string s) => PhpText.SingleQuoted(s);
        var url = "http://" + o.HostName;
        var inv = CultureInfo.InvariantCulture;
        return $$"""
            <?php
            error_reporting(E_ALL & ~E_DEPRECATED & ~E_NOTICE);
            define('WP_INSTALLING', true);
            define('DISABLE_WP_CRON', true);          // no loopback HTTP request to a host that does not exist
            define('WP_HTTP_BLOCK_EXTERNAL', true);
            $_SERVER['HTTP_HOST'] = {{Q(o.HostName)}};
            $_SERVER['SERVER_NAME'] = {{Q(o.HostName)}};
            $_SERVER['SERVER_PORT'] = '80';
            $_SERVER['REQUEST_URI'] = '/wp-admin/install.php';
            $_SERVER['PHP_SELF'] = '/wp-admin/install.php';
            function wp_new_blog_notification() {}    // pluggable: the stock one calls sendmail

            require {{Q(siteRoot + "/wp-load.php")}};
            require_once ABSPATH . 'wp-admin/includes/upgrade.php';

            $installed = wp_install({{Q(o.Title)}}, {{Q(o.AdminUser)}}, {{Q(adminEmail)}}, true, '', {{Q(adminPassword)}});
            if (is_wp_error($installed)) { fwrite(STDERR, $installed->get_error_message()); exit(2); }
            update_option('siteurl', {{Q(url)}});
            update_option('home', {{Q(url)}});

            mt_srand({{o.Seed.ToString(inv)}});
            $words = ['wordpress', 'backup', 'restore', 'lorem', 'ipsum', 'dolor', 'sit', 'amet', 'café', 'naïve',
                      'über', 'straße', 'summer', 'server', 'database', 'theme', 'plugin', 'gallery', 'media', 'tempor',
                      'magna', 'aliqua', 'consectetur', 'adipiscing', 'elit', 'sed', 'do', 'eiusmod', 'ut', 'labore'];
            function demo_words($n) {
                global $words;
                $out = [];
                for ($k = 0; $k < $n; $k++) { $out[] = $words[mt_rand(0, count($words) - 1)]; }
                return implode(' ', $out);
            }

            wp_defer_term_counting(true);
            wp_suspend_cache_invalidation(true);
            $categories = [];
            foreach (['News', 'Guides', 'Releases', 'Ünïcödé 🎉'] as $name) {
                $term = wp_insert_term($name, 'category');
                if (is_wp_error($term)) { fwrite(STDERR, $term->get_error_message()); exit(3); }
                $categories[] = (int)$term['term_id'];
            }

            global $wpdb;
            $count = {{o.PostCount.ToString(inv)}};
            $start = gmmktime(9, 0, 0, 1, 1, 2023);   // all in the past: a future date would make a post "future", not "publish"
            $step = intdiv(700 * 86400, max($count, 1));
            $inserted = 0;
            $wpdb->query('START TRANSACTION');
            for ($i = 1; $i <= $count; $i++) {
                if ($i == 1) { $title = {{Q(DemoContent.UnicodeTitle)}}; }
                elseif ($i % 10 == 0) { $title = "Post $i 🎉 ünïcödé ✓"; }
                else { $title = ucfirst(demo_words(mt_rand(3, 8))); }
                $content = '';
                for ($p = mt_rand(2, 6); $p > 0; $p--) {
                    $content .= "<!-- wp:paragraph -->\n<p>" . ucfirst(demo_words(mt_rand(30, 120))) . ".</p>\n<!-- /wp:paragraph -->\n\n";
                }
                $date = gmdate('Y-m-d H:i:s', $start + $i * $step);
                // wp_insert_post and update_post_meta expect slashed input (they wp_unslash it).
                $id = wp_insert_post(wp_slash([
                    'post_title' => $title,
                    'post_content' => $content,
                    'post_excerpt' => demo_words(12),
                    'post_status' => 'publish',
                    'post_author' => 1,
                    'post_date' => $date,
                    'post_date_gmt' => $date,
                    'post_category' => [$categories[$i % count($categories)]],
                    'meta_input' => [
                        {{Q(DemoContent.SerializedMetaKey)}} => [
                            'index' => $i,
                            'tags' => [demo_words(1), demo_words(1)],
                            'note' => "it's \"quoted\", back\\slashed, ünïcödé 🎉",
                            'ratio' => $i / 7,
                        ],
                        'demo_views' => mt_rand(0, 100000),
                    ],
                ]), true);
                if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(4); }
                $inserted++;
                if ($i % 100 == 0) { $wpdb->query('COMMIT'); $wpdb->query('START TRANSACTION'); }
            }
            $wpdb->query('COMMIT');
            wp_suspend_cache_invalidation(false);
            wp_defer_term_counting(false);

            echo "\n", {{Q(Marker)}}, json_encode([
                'version' => $GLOBALS['wp_version'],
                'siteurl' => get_option('siteurl'),
                'posts' => $inserted,
            ]), "\n";
            """;
    }
}
