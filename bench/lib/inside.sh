#!/usr/bin/env bash
# Runs inside `WpBackup.Sandbox run` (see bench/run.sh): enlarges the sandbox's WordPress
# database, then times WpBackup and the peer pipelines on the same site, interleaved, one
# warm-up round plus BENCH_REPS measured rounds each. Writes raw figures to $1:
#   results.tsv   name round seconds peak_rss_kb user_s sys_s foreign_cpu_s (round 0: warm-up)
#   facts.env     sizes, versions, machine
#   logs/         every command's output; timeline-*.log (WpBackup -Verbose, timestamped)
set -euo pipefail

results=$1
bench_dir=$(cd "$(dirname "$0")/.." && pwd)
: "${WPBACKUP_DEMO_SITES:?run me through WpBackup.Sandbox run}" "${WPBACKUP_ROOT:?}" "${WPBACKUP_DEMO_SOCKET:?}"
: "${BENCH_WPBACKUP:?}" "${BENCH_STAGES:?}" "${BENCH_DB_MB:?}" "${BENCH_REPS:?}"

site=$WPBACKUP_DEMO_SITES/demo.example/htdocs
work=$(dirname "$WPBACKUP_ROOT")/bench # inside the sandbox's private folder, deleted with it
mkdir -p "$work" "$results/logs"
: > "$results/results.tsv"
: > "$results/repeated.tsv"
facts=$results/facts.env
: > "$facts"
fact() { printf '%s=%q\n' "$1" "$2" >> "$facts"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
say() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
root_sql() { mariadb --no-defaults --socket="$WPBACKUP_DEMO_SOCKET" --batch --skip-column-names "$@"; }

# ---------------------------------------------------------------------------------------
# The peer's login: the site's own account from wp-config.php, in a 0600 option file.
cnf=$work/peer.cnf
db=$(php "$bench_dir/lib/peer-option-file.php" "$site/wp-config.php" "$cnf")
[[ $(stat -c %a "$cnf") == 600 ]] || { echo "option file is not 0600" >&2; exit 1; }

# The sandbox server is sized for unit tests (64 MiB buffer pool, 16 MiB redo log). Give it
# what a small production server has; both WpBackup and the peers load into it.
root_sql -e "SET GLOBAL innodb_buffer_pool_size = 1024*1024*1024; SET GLOBAL innodb_log_file_size = 512*1024*1024;"
fact server_tuning "$(root_sql -e 'SELECT CONCAT("innodb_buffer_pool_size=", @@innodb_buffer_pool_size DIV 1048576, "M innodb_log_file_size=", @@innodb_log_file_size DIV 1048576, "M innodb_flush_log_at_trx_commit=", @@innodb_flush_log_at_trx_commit)')"

# ---------------------------------------------------------------------------------------
# A database of a few hundred MB: generated posts + postmeta, loaded with LOAD DATA.
say "generating ~${BENCH_DB_MB} MiB of posts and postmeta"
first_id=$(( $(root_sql "$db" -e 'SELECT MAX(ID) FROM wp_posts') + 1 ))
perl "$bench_dir/lib/gen-posts.pl" "$first_id" "$BENCH_DB_MB" 42 demo.example "$work/posts.tsv" "$work/postmeta.tsv" >&2
say "loading them into $db"
load_start=$EPOCHREALTIME
root_sql --local-infile=1 "$db" > /dev/null <<SQL
SET unique_checks = 0;
LOAD DATA LOCAL INFILE '$work/posts.tsv' INTO TABLE wp_posts CHARACTER SET utf8mb4
  (ID, post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status,
   comment_status, ping_status, post_password, post_name, to_ping, pinged, post_modified,
   post_modified_gmt, post_content_filtered, post_parent, guid, menu_order, post_type,
   post_mime_type, comment_count);
LOAD DATA LOCAL INFILE '$work/postmeta.tsv' INTO TABLE wp_postmeta CHARACTER SET utf8mb4
  (post_id, meta_key, meta_value);
-- Each new post in one of the site's categories (not "Uncategorized"), counts kept right.
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
fact db_load_seconds "$(since "$load_start")"
rm -f "$work/posts.tsv" "$work/postmeta.tsv"

posts=$(root_sql "$db" -e 'SELECT COUNT(*) FROM wp_posts')
fact db_posts "$posts"
fact db_postmeta "$(root_sql "$db" -e 'SELECT COUNT(*) FROM wp_postmeta')"
fact db_tables "$(root_sql "$db" -e 'SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')"
fact db_disk_bytes "$(root_sql "$db" -e 'SELECT SUM(DATA_LENGTH + INDEX_LENGTH) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')"
checksum() { root_sql "$db" -e 'CHECKSUM TABLE wp_posts, wp_postmeta, wp_options, wp_term_relationships' | awk '{print $2}' | paste -sd' '; }
db_checksum=$(checksum)

# What is archived: the whole site folder (the sandbox's --uploads-mb made wp-content/uploads).
files_bytes=$(find "$site" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
fact files_bytes "$files_bytes"
fact files_count "$(find "$site" -type f | wc -l)"
fact files_entries "$(find "$site" | wc -l)"
fact uploads_bytes "$(find "$site/wp-content/uploads" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')"
fact uploads_jpg_bytes "$(find "$site/wp-content/uploads" -type f -name '*.jpg' -printf '%s\n' | awk '{s += $1} END {print s + 0}')"
fact wp_core_bytes "$(find "$site" -path "$site/wp-content/uploads" -prune -o -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')"

# ---------------------------------------------------------------------------------------
# quiesce: before each timed run, the server writes out its dirty pages and the kernel its
# page cache (sync), so no run pays for the previous one's writes (a restore leaves hundreds
# of MB of dirty InnoDB pages that the server would otherwise flush during the next run).
read -r saved_pct saved_io saved_io_max < <(root_sql -e 'SELECT @@innodb_max_dirty_pages_pct, @@innodb_io_capacity, @@innodb_io_capacity_max')
dirty_pages() { root_sql -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | awk '{print $2}'; }
quiesce() {
    root_sql -e "SET GLOBAL innodb_io_capacity_max = 100000; SET GLOBAL innodb_io_capacity = 100000; SET GLOBAL innodb_max_dirty_pages_pct = 0"
    local deadline=$((SECONDS + 120))
    while (($(dirty_pages) > 50 && SECONDS < deadline)); do sleep 0.2; done
    root_sql -e "SET GLOBAL innodb_max_dirty_pages_pct = $saved_pct; SET GLOBAL innodb_io_capacity = $saved_io; SET GLOBAL innodb_io_capacity_max = $saved_io_max"
    sync
}

# Other work on the machine (another session's tests, a neighbour VM's steal) skews timings:
# foreign CPU = all busy CPU time (/proc/stat, steal included) minus what the measured
# command and this sandbox's MariaDB server used. Before each run, wait (up to
# BENCH_QUIET_WAIT s) for a second with almost none; then record it during the run.
server_pid=$(cat "$(dirname "$WPBACKUP_DEMO_SOCKET")/mariadbd.pid")
hz=$(getconf CLK_TCK)
cpu_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
server_cpu() { awk '{print $14 + $15 + $16 + $17}' "/proc/$server_pid/stat"; }
foreign_since() { # BUSY0 SERVER0 OWN_CPU_SECONDS
    awk -v b0="$1" -v s0="$2" -v own="$3" -v b1="$(cpu_busy)" -v s1="$(server_cpu)" -v hz="$hz" \
        'BEGIN { f = (b1 - b0 - (s1 - s0)) / hz - own; printf "%.2f", f < 0 ? 0 : f }'
}
quiet_budget=${BENCH_QUIET_BUDGET:-300} # seconds of waiting in the whole run, at most
wait_quiet() {
    local start=$SECONDS b0 s0 foreign
    while :; do
        b0=$(cpu_busy) s0=$(server_cpu)
        sleep 1
        foreign=$(foreign_since "$b0" "$s0" 0)
        awk -v f="$foreign" 'BEGIN { exit !(f < 0.15) }' && break
        if ((SECONDS - start >= ${BENCH_QUIET_WAIT:-60} || SECONDS - start >= quiet_budget)); then
            say "the machine stays busy (${foreign} CPU-s/s of other work); measuring anyway"
            break
        fi
    done
    quiet_budget=$((quiet_budget - (SECONDS - start - 1)))
    ((quiet_budget > 0)) || quiet_budget=0
}

# measure NAME ROUND COMMAND...: one timed run, after quiesce and wait_quiet (NOSYNC=1 skips
# both: for the peers' `sync FILE`, which must find the pipeline's writes still in the cache).
# PREP='shell code': run (untimed) before every attempt, e.g. to empty a restore target.
# A run during which other work took more than 10% of the CPUs is repeated, up to
# BENCH_RETRIES (2) more times and BENCH_RETRY_LIMIT (20) times in the whole run; the last
# attempt counts, and its other load is reported.
# PARTS="f1 f2": per-process peak RSS files of a pipeline, summed (they run at the same
# time); otherwise the peak RSS of the command itself (for wpbackup: the .NET process).
nproc=$(nproc)
retries_left=${BENCH_RETRY_LIMIT:-20}
measure() {
    local name=$1 round=$2
    shift 2
    local log=$results/logs/$name.$round.log b0 s0 seconds rss user sys foreign attempt
    for ((attempt = 0; ; attempt++)); do
        [[ -z ${PREP:-} ]] || eval "$PREP"
        if [[ ${NOSYNC:-0} != 1 ]]; then quiesce; wait_quiet; fi
        b0=$(cpu_busy) s0=$(server_cpu)
        if ! /usr/bin/time -f '%e %M %U %S' -o "$work/time.out" "$@" > "$log" 2>&1; then
            echo "bench: '$name' failed (round $round); its output:" >&2
            tail -n 30 "$log" >&2
            exit 1
        fi
        read -r seconds rss user sys < "$work/time.out"
        foreign=$(foreign_since "$b0" "$s0" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
        if ((attempt < ${BENCH_RETRIES:-2} && retries_left > 0)) && [[ ${NOSYNC:-0} != 1 ]] &&
            awk -v f="$foreign" -v t="$seconds" -v n="$nproc" 'BEGIN { exit !(f > 0.10 * t * n) }'; then
            say "$name round $round: ${seconds}s with ${foreign} CPU-s of other work; repeating"
            printf '%s\t%s\t%s\t%s\n' "$name" "$round" "$seconds" "$foreign" >> "$results/repeated.tsv"
            retries_left=$((retries_left - 1))
            continue
        fi
        break
    done
    if [[ -n ${PARTS:-} ]]; then
        rss=0
        for part in $PARTS; do rss=$((rss + $(tail -n 1 "$part"))); done
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "$seconds" "$rss" "$user" "$sys" "$foreign" >> "$results/results.tsv"
    say "$name round $round: ${seconds}s, peak RSS $((rss / 1024)) MiB, other work ${foreign} CPU-s"
}

# The commands, exactly as they run (paths reach WpBackup through the environment).
wpb=$BENCH_WPBACKUP
export BENCH_SITE=$site BENCH_DB=$db BENCH_CNF=$cnf
backup_full='New-WpBackup -Path $env:BENCH_SITE -Type Full -Destination $env:BENCH_DEST'
backup_files='New-WpBackup -Path $env:BENCH_SITE -Type Files -Destination $env:BENCH_DEST'
backup_db='New-WpBackup -Path $env:BENCH_SITE -Type Database -Destination $env:BENCH_DEST'
restore_full='Restore-WpBackup -Path $env:BENCH_ARCHIVE -Target $env:BENCH_TARGET -Confirm:$false'
restore_files='Restore-WpBackup -Path $env:BENCH_ARCHIVE -Type Files -Target $env:BENCH_TARGET -Confirm:$false'
restore_db='Restore-WpBackup -Path $env:BENCH_ARCHIVE -Type Database -Confirm:$false'
dump_options=(--single-transaction --quick --routines --triggers --hex-blob --no-tablespaces --skip-dump-date --default-character-set=utf8mb4)
peer_files='tar -cf - -C "$BENCH_SITE" . | zstd -3 -T0 -q > "$BENCH_OUT/files.tar.zst"'
peer_db='mariadb-dump --defaults-extra-file="$BENCH_CNF" '"${dump_options[*]}"' "$BENCH_DB" | zstd -3 -T0 -q > "$BENCH_OUT/db.sql.zst"'
peer_restore_files='zstd -dc -q < "$BENCH_OUT/files.tar.zst" | tar -xf - -C "$BENCH_TARGET"'
peer_restore_db='zstd -dc -q < "$BENCH_OUT/db.sql.zst" | mariadb --defaults-extra-file="$BENCH_CNF" "$BENCH_DB"'
for v in backup_full backup_files backup_db restore_full restore_files restore_db peer_files peer_db peer_restore_files peer_restore_db; do
    fact "cmd_$v" "${!v}"
done

# A peer pipeline "A | B", run as written but with each side under its own /usr/bin/time,
# so the figure is the sum of the two processes' peak RSS (they run at the same time).
rss() { local n=$1; shift; /usr/bin/time -f %M -o "$work/rss.$n" "$@"; }
export -f rss
export work
measure_peer() { # NAME ROUND PIPELINE
    local left=${3%%|*} right=${3#*|}
    PARTS="$work/rss.1 $work/rss.2" measure "$1" "$2" bash -c "set -euo pipefail; rss 1 $left | rss 2 $right"
}

export BENCH_OUT=$work/peer
mkdir -p "$BENCH_OUT"
dest_full=$work/wp-full dest_files=$work/wp-files dest_db=$work/wp-db

rounds=$BENCH_REPS
say "backups: 1 warm-up + $rounds measured rounds, interleaved"
for ((round = 0; round <= rounds; round++)); do
    rm -rf "$BENCH_OUT"/*
    measure wp_startup "$round" "$wpb" -Command '$null'
    PREP='rm -rf "$dest_full"' BENCH_DEST=$dest_full measure wp_backup_full "$round" "$wpb" -Command "$backup_full"
    measure_peer peer_backup_files "$round" "$peer_files"
    NOSYNC=1 measure peer_fsync_files "$round" sync "$BENCH_OUT/files.tar.zst"
    measure_peer peer_backup_db "$round" "$peer_db"
    NOSYNC=1 measure peer_fsync_db "$round" sync "$BENCH_OUT/db.sql.zst"
    PREP='rm -rf "$dest_files"' BENCH_DEST=$dest_files measure wp_backup_files "$round" "$wpb" -Command "$backup_files"
    PREP='rm -rf "$dest_db"' BENCH_DEST=$dest_db measure wp_backup_db "$round" "$wpb" -Command "$backup_db"
done

archive_of() { find "$1" -name '*.tar.zst' -type f | head -n 1; }
archive=$(archive_of "$dest_full")
fact size_wp_full "$(stat -c %s "$archive")"
fact size_wp_files "$(stat -c %s "$(archive_of "$dest_files")")"
fact size_wp_db "$(stat -c %s "$(archive_of "$dest_db")")"
fact size_peer_files "$(stat -c %s "$BENCH_OUT/files.tar.zst")"
fact size_peer_db "$(stat -c %s "$BENCH_OUT/db.sql.zst")"
dump_bytes=$(zstd -dc -q < "$BENCH_OUT/db.sql.zst" | wc -c)
fact dump_bytes "$dump_bytes"
fact wp_dump_bytes "$(tar --zstd -xOf "$archive" database.sql | wc -c)"

# ---------------------------------------------------------------------------------------
# Restores: files into a fresh folder each time, the database into the site's own database.
check_tree() { # TARGET: same regular-file bytes and count as the site
    local bytes count
    bytes=$(find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    count=$(find "$1" -type f | wc -l)
    if [[ $bytes != "$files_bytes" || $count != "$(find "$site" -type f | wc -l)" ]]; then
        echo "bench: restored tree $1 differs from the site ($count files, $bytes bytes)" >&2
        exit 1
    fi
}
check_db() {
    local now
    now=$(root_sql "$db" -e 'SELECT COUNT(*) FROM wp_posts')
    [[ $now == "$posts" ]] || { echo "bench: $db has $now posts after a restore, expected $posts" >&2; exit 1; }
}
export BENCH_ARCHIVE=$archive
target=$work/restore-target
say "restores: 1 warm-up + $rounds measured rounds, interleaved"
for ((round = 0; round <= rounds; round++)); do
    PREP='rm -rf "$target"' BENCH_TARGET=$target measure wp_restore_full "$round" "$wpb" -Command "$restore_full"
    check_tree "$target"; check_db

    PREP='rm -rf "$target"; mkdir -p "$target"' BENCH_TARGET=$target measure_peer peer_restore_files "$round" "$peer_restore_files"
    check_tree "$target"
    measure_peer peer_restore_db "$round" "$peer_restore_db"
    check_db

    PREP='rm -rf "$target"' BENCH_TARGET=$target measure wp_restore_files "$round" "$wpb" -Command "$restore_files"
    check_tree "$target"
    measure wp_restore_db "$round" "$wpb" -Command "$restore_db"
    check_db
done
rm -rf "$target"
[[ $(checksum) == "$db_checksum" ]] || { echo "bench: the database differs from before the restores" >&2; exit 1; }
fact db_checksum_after_restores same

# ---------------------------------------------------------------------------------------
# The engine's stages one at a time (bench/stages), and the native tools on the same input,
# all reading from the page cache and writing nothing: what the compressor, the tar
# writer/reader and the hashing each cost, apart from the disk.
say "engine stages"
tar -cf "$work/site.tar" -C "$site" .
quiesce; wait_quiet
stages_start=$EPOCHREALTIME
dotnet "$BENCH_STAGES" "$site" "$work/site.tar" "$archive" "$rounds" > "$results/stages.tsv" 2> "$results/logs/stages.log" || {
    echo "bench: the stage timings failed:" >&2; tail -n 20 "$results/logs/stages.log" >&2; exit 1; }
fact stages_seconds "$(since "$stages_start")"
for ((round = 0; round <= rounds; round++)); do
    measure native_zstd_compress_tarfile "$round" bash -c 'zstd -3 -T0 -q -c "$1" > /dev/null' _ "$work/site.tar"
    measure native_zstd_compress_tarfile_single "$round" bash -c 'zstd -3 --single-thread -q -c "$1" > /dev/null' _ "$work/site.tar"
    measure native_tar_zstd "$round" bash -c 'set -o pipefail; tar -cf - -C "$1" . | zstd -3 -T0 -q > /dev/null' _ "$site"
    measure native_zstd_decompress "$round" bash -c 'zstd -dc -q "$1" > /dev/null' _ "$archive"
    measure native_zstd_decompress_tar "$round" bash -c 'set -o pipefail; zstd -dc -q "$1" | tar -tvf - > /dev/null' _ "$archive"
    measure native_sha256sum "$round" bash -c 'sha256sum "$1" > /dev/null' _ "$work/site.tar"
done
fact site_tar_bytes "$(stat -c %s "$work/site.tar")"
rm -f "$work/site.tar"

# ---------------------------------------------------------------------------------------
# Where WpBackup's time goes: one more Full backup and restore with -Verbose, each line
# stamped with seconds since start (not part of the figures above).
timeline() { # NAME COMMAND
    quiesce; wait_quiet
    local start=$EPOCHREALTIME log=$results/logs/timeline-$1.log
    if ! "$wpb" -Command "$2 -Verbose" 2>&1 | while IFS= read -r line; do
        printf '%6s  %s\n' "$(since "$start")" "$line"
    done > "$log"; then
        echo "bench: the -Verbose run '$1' failed:" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    printf '%6s  (exit)\n' "$(since "$start")" >> "$log"
}
rm -rf "$dest_full" "$target"
say "timelines (-Verbose)"
BENCH_DEST=$dest_full timeline backup-full "$backup_full"
rm -rf "$dest_db"
BENCH_DEST=$dest_db timeline backup-database "$backup_db"
BENCH_ARCHIVE=$(archive_of "$dest_full") BENCH_TARGET=$target timeline restore-full "$restore_full"
check_tree "$target"; check_db
BENCH_ARCHIVE=$(archive_of "$dest_full") timeline restore-database "$restore_db"
check_db
rm -rf "$target"
say "done"
