#!/usr/bin/perl
# gen-posts.pl FIRST_ID MEGABYTES SEED HOST POSTS_TSV POSTMETA_TSV
#
# Writes WordPress posts and their postmeta as tab-separated rows for LOAD DATA, until about
# MEGABYTES MiB have been written (roughly the size they take in a mysqldump). Content is
# Gutenberg block markup (paragraphs, headings, images, lists) of random words from an
# English-like vocabulary with some accented words, so rows differ and compress like real
# blog text (about 3-4x with zstd -3), not like repeated rows. Deterministic for a seed.
use strict;
use warnings;
use POSIX qw(strftime);

my ($first_id, $megabytes, $seed, $host, $posts_path, $meta_path) = @ARGV;
die "usage: gen-posts.pl FIRST_ID MEGABYTES SEED HOST POSTS_TSV POSTMETA_TSV\n" unless defined $meta_path;
srand($seed);

my @words = qw(
  the of and to a in is it you that he was for on are with as his they be at one have this from
  or had by hot word but what some we can out other were all there when up use your how said an
  each she which do their time if will way about many then them write would like so these her long
  make thing see him two has look more day could go come did number sound no most people my over
  know water than call first who may down side been now find any new work part take get place made
  live where after back little only round man year came show every good me give our under name very
  through just form sentence great think say help low line differ turn cause much mean before move
  right boy old too same tell does set three want air well also play small end put home read hand
  port large spell add even land here must big high such follow act why ask men change went light
  kind off need house picture try us again animal point mother world near build self earth father
  wordpress backup restore server database theme plugin gallery media upload archive release garden
  recipe travel coffee morning summer winter autumn spring mountain river city market festival
  café naïve über straße résumé façade déjà jalapeño piñata smörgåsbord
);
my @titles_extra = ('🎉', '✓', '— a guide', 'part 2', '(updated)', '2025', 'FAQ');

sub words {
    my ($n) = @_;
    return join ' ', map { $words[rand @words] } 1 .. $n;
}

sub sentence {
    my $s = words(6 + int(rand 14));
    $s =~ s/ (\S+) / $1, / if rand() < 0.3;
    return ucfirst($s) . (rand() < 0.1 ? '?' : '.');
}

sub paragraph {
    my $target = 40 + int(rand 100);
    my @s;
    my $count = 0;
    while ($count < $target) {
        my $sentence = sentence();
        $count += ($sentence =~ tr/ //) + 1;
        push @s, $sentence;
    }
    return join ' ', @s;
}

my $start = 1_420_070_400; # 2015-01-01
my $span = 11 * 365 * 86400;
my $limit = $megabytes * 1024 * 1024;
my $written = 0;
my $meta_id = 0;

open my $posts, '>', $posts_path or die "$posts_path: $!";
open my $meta, '>', $meta_path or die "$meta_path: $!";

my $id = $first_id;
while ($written < $limit) {
    my $date = $start + int(rand $span);
    my $modified = $date + int(rand 90 * 86400);
    my $title = ucfirst(words(3 + int(rand 7)));
    $title .= ' ' . $titles_extra[rand @titles_extra] if rand() < 0.1;
    (my $slug = lc $title) =~ s/[^a-z0-9]+/-/g;
    $slug =~ s/^-|-$//g;
    $slug = substr($slug, 0, 180) . "-$id";

    my @blocks;
    for (1 .. 3 + int(rand 8)) {
        my $r = rand();
        if ($r < 0.12) {
            push @blocks, "<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">" . ucfirst(words(2 + int(rand 5))) . "</h2>\n<!-- /wp:heading -->";
        } elsif ($r < 0.22) {
            my $image = 1000 + int(rand 9000);
            my $path = sprintf '%04d/%02d/photo-%04d.jpg', 2015 + int(rand 12), 1 + int(rand 12), $image;
            push @blocks, "<!-- wp:image {\"id\":$image,\"sizeSlug\":\"large\"} -->\n<figure class=\"wp-block-image size-large\"><img src=\"http://$host/wp-content/uploads/$path\" alt=\"" . words(3) . "\" class=\"wp-image-$image\"/></figure>\n<!-- /wp:image -->";
        } elsif ($r < 0.30) {
            my $items = join '', map { '<li>' . ucfirst(words(3 + int(rand 8))) . '</li>' } 1 .. 3 + int(rand 5);
            push @blocks, "<!-- wp:list -->\n<ul>$items</ul>\n<!-- /wp:list -->";
        } else {
            push @blocks, "<!-- wp:paragraph -->\n<p>" . paragraph() . "</p>\n<!-- /wp:paragraph -->";
        }
    }
    my $content = join "\n\n", @blocks;
    $content =~ s/\n/\\n/g; # LOAD DATA escaping; the words hold no tab or backslash
    my $excerpt = rand() < 0.3 ? sentence() : '';
    my $gmt = strftime('%Y-%m-%d %H:%M:%S', gmtime $date);
    my $gmt_modified = strftime('%Y-%m-%d %H:%M:%S', gmtime $modified);

    # ID, post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status,
    # comment_status, ping_status, post_password, post_name, to_ping, pinged, post_modified,
    # post_modified_gmt, post_content_filtered, post_parent, guid, menu_order, post_type,
    # post_mime_type, comment_count
    my $row = join("\t", $id, 1 + int(rand 5), $gmt, $gmt, $content, $title, $excerpt, 'publish',
        'open', 'open', '', $slug, '', '', $gmt_modified, $gmt_modified, '', 0, "http://$host/?p=$id",
        0, 'post', '', int(rand 25)) . "\n";
    print $posts $row;
    $written += length $row;

    my @meta = (
        ['_edit_last', 1 + int(rand 5)],
        ['_edit_lock', "$modified:1"],
        ['_thumbnail_id', 1000 + int(rand 9000)],
        ['post_views_count', int(rand 100_000)],
        ['_yoast_wpseo_metadesc', sentence() . ' ' . sentence()],
    );
    push @meta, ['_wpbackup_bench', sprintf('a:3:{s:5:"index";i:%d;s:4:"tags";a:2:{i:0;s:%d:"%s";i:1;s:%d:"%s";}s:5:"ratio";d:%.4f;}',
        $id, map({ my $w = $words[rand @words]; (length $w, $w) } 1 .. 2), rand())] if rand() < 0.5;
    for my $m (@meta) {
        $meta_id++;
        my $line = join("\t", $id, @$m) . "\n";
        print $meta $line;
        $written += length $line;
    }
    $id++;
}
close $posts or die $!;
close $meta or die $!;
printf "%d posts, %d postmeta rows, %.1f MiB\n", $id - $first_id, $meta_id, $written / 1048576;
