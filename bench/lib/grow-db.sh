#!/usr/bin/env bash
# grow-db.sh SOCKET DB MB WORK: adds ~MB MiB of generated posts + postmeta (gen-posts.pl) to the
# WordPress database DB of a sandbox server (root over SOCKET), each post in one of the site's
# categories; the same data and SQL as bench/lib/inside.sh. Scratch files go in WORK.
set -euo pipefail
socket=$1 db=$2 mb=$3 work=$4
bench_dir=$(cd "$(dirname "$0")/.." && pwd)
root_sql() { mariadb --no-defaults --socket="$socket" --batch --skip-column-names "$@"; }
root_sql -e "SET GLOBAL innodb_buffer_pool_size = 1024*1024*1024; SET GLOBAL innodb_log_file_size = 512*1024*1024;"
first_id=$(( $(root_sql "$db" -e 'SELECT MAX(ID) FROM wp_posts') + 1 ))
perl "$bench_dir/lib/gen-posts.pl" "$first_id" "$mb" 42 demo.example "$work/posts.tsv" "$work/postmeta.tsv" >&2
root_sql --local-infile=1 "$db" > /dev/null <<SQL
SET unique_checks = 0;
LOAD DATA LOCAL INFILE '$work/posts.tsv' INTO TABLE wp_posts CHARACTER SET utf8mb4
  (ID, post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status,
   comment_status, ping_status, post_password, post_name, to_ping, pinged, post_modified,
   post_modified_gmt, post_content_filtered, post_parent, guid, menu_order, post_type,
   post_mime_type, comment_count);
LOAD DATA LOCAL INFILE '$work/postmeta.tsv' INTO TABLE wp_postmeta CHARACTER SET utf8mb4
  (post_id, meta_key, meta_value);
INSERT INTO wp_term_relationships (object_id, term_taxonomy_id)
  SELECT p.ID, c.term_taxonomy_id FROM wp_posts p
  JOIN (SELECT term_taxonomy_id, ROW_NUMBER() OVER (ORDER BY term_taxonomy_id) - 1 AS n
        FROM wp_term_taxonomy WHERE taxonomy = 'category' AND term_id <> 1) c
    ON c.n = p.ID % (SELECT COUNT(*) FROM wp_term_taxonomy WHERE taxonomy = 'category' AND term_id <> 1)
  WHERE p.ID >= $first_id;
UPDATE wp_term_taxonomy tt SET count =
  (SELECT COUNT(*) FROM wp_term_relationships r WHERE r.term_taxonomy_id = tt.term_taxonomy_id);
ANALYZE TABLE wp_posts, wp_postmeta, wp_term_relationships;
SQL
rm -f "$work/posts.tsv" "$work/postmeta.tsv"
