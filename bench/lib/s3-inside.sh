#!/usr/bin/env bash
# Runs inside `WpBackup.Sandbox run` (see bench/s3.sh). Grows the sandbox site's database, starts
# s3rver on 127.0.0.1, and times, interleaved in each round (one warm-up round 0, then
# BENCH_REPS rounds):
#   offsite: New-WpBackup straight into the bucket vs New-WpBackup (or tar|zstd + dump|zstd) to
#            disk then `rclone copy` to the same bucket; Copy-WpBackup vs rclone of one archive;
#   encryption: New-WpBackup -Encrypt (recipient, passphrase) vs plain; WpBackup's age layer vs
#            the age CLI on the same plaintext archive, both directions; Test-/Restore-WpBackup
#            of an encrypted archive vs `age -d | zstd -d` / `age -d | tar --zstd -x`.
# Writes to $1: results.tsv (name round seconds peak_rss_kb load1), cpu.tsv (name round cpu_s
# s3rver_cpu_s), facts.env, logs/ (timeline-*.log: one -Verbose backup each way, stamped).
set -euo pipefail
results=$1
bench_dir=$(cd "$(dirname "$0")/.." && pwd)
: "${WPBACKUP_DEMO_SITES:?run me through WpBackup.Sandbox run}" "${WPBACKUP_DEMO_SOCKET:?}" "${BENCH_WPBACKUP:?}"
: "${BENCH_REPS:?}" "${BENCH_DB_MB:?}"
work=$(dirname "$WPBACKUP_ROOT")/bench-s3  # inside the sandbox's private folder, deleted with it
mkdir -p "$work" "$results/logs"; : > "$results/results.tsv"; : > "$results/cpu.tsv"; : > "$results/facts.env"
source "$bench_dir/lib/rb-common.sh"
source "$bench_dir/lib/s3rver.sh"
trap stop_s3rver EXIT

export BENCH_SITE=$WPBACKUP_DEMO_SITES/demo.example/htdocs
cnf=$work/peer.cnf
db=$(php "$bench_dir/lib/peer-option-file.php" "$BENCH_SITE/wp-config.php" "$cnf")
say "adding ~${BENCH_DB_MB} MiB of posts to $db"
bash "$bench_dir/lib/grow-db.sh" "$WPBACKUP_DEMO_SOCKET" "$db" "$BENCH_DB_MB" "$work"
fact files_bytes "$(find "$BENCH_SITE" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')"
fact files_count "$(find "$BENCH_SITE" -type f | wc -l)"

start_s3rver "$work/s3rver" bench
fact s3rver_version "s3rver $(node -p 'require(process.argv[1]).version' "$bench_dir/../.ci/node/node_modules/s3rver/package.json"), node $(node --version)"
fact rclone_version "$(rclone version | head -n 1)"
fact age_version "age $(age --version)"

# Keys: an age X25519 key pair (0600 file) and a passphrase, both reaching WpBackup through the
# environment, never argv.
key=$work/age-key.txt
(umask 077; age-keygen -o "$key" 2> /dev/null)
export BENCH_KEY=$key BENCH_RECIPIENT=$(age-keygen -y "$key")
BENCH_PASSPHRASE=$(head -c 24 /dev/urandom | base64); export BENCH_PASSPHRASE

export D_DISK=$work/wp-disk D_AGE=$work/wp-age D_PASS=$work/wp-pass PEER_OUT=$work/peer TARGET=$work/restore
s3='-S3Endpoint $env:S3_ENDPOINT'
pass='([System.Net.NetworkCredential]::new("", $env:BENCH_PASSPHRASE).SecurePassword)'
wp_disk='$null = New-WpBackup -Path $env:BENCH_SITE -Type Full -Destination $env:D_DISK'
wp_s3='$null = New-WpBackup -Path $env:BENCH_SITE -Type Full -Destination s3://bench/wp '"$s3"
wp_copy='$null = Get-WpBackup -Destination $env:D_DISK | Copy-WpBackup -Destination s3://bench/copy '"$s3"
wp_age='$null = New-WpBackup -Path $env:BENCH_SITE -Type Full -Destination $env:D_AGE -Encrypt -Recipient $env:BENCH_RECIPIENT'
wp_pass='$null = New-WpBackup -Path $env:BENCH_SITE -Type Full -Destination $env:D_PASS -Encrypt -Passphrase '"$pass"
wp_s3_age='$null = New-WpBackup -Path $env:BENCH_SITE -Type Full -Destination s3://bench/wp-age '"$s3"' -Encrypt -Recipient $env:BENCH_RECIPIENT'
wp_test_plain='$r = Test-WpBackup -Path $env:ARCHIVE_PLAIN; if (-not $r.Passed) { throw "test failed" }'
wp_test_age='$r = Test-WpBackup -Path $env:ARCHIVE_AGE -IdentityFile $env:BENCH_KEY; if (-not $r.Passed) { throw "test failed" }'
wp_test_pass='$r = Test-WpBackup -Path $env:ARCHIVE_PASS -Passphrase '"$pass"'; if (-not $r.Passed) { throw "test failed" }'
wp_restore_age='Restore-WpBackup -Path $env:ARCHIVE_AGE -Type Files -Target $env:TARGET -IdentityFile $env:BENCH_KEY -Confirm:$false'
dump_options="--single-transaction --quick --routines --triggers --hex-blob --no-tablespaces --skip-dump-date --default-character-set=utf8mb4"
peer_files="tar -cf - -C $BENCH_SITE . | zstd -3 -T0 -q -o $PEER_OUT/files.tar.zst"
peer_db="mariadb-dump --defaults-extra-file=$cnf $dump_options $db | zstd -3 -T0 -q -o $PEER_OUT/db.sql.zst"
rclone_wp='rclone copy "$D_DISK" s3b:bench/rclone-wp'
rclone_peer='rclone copy "$PEER_OUT" s3b:bench/rclone-peer'
for v in wp_disk wp_s3 wp_copy wp_age wp_pass wp_s3_age wp_test_plain wp_test_age wp_test_pass wp_restore_age peer_files peer_db rclone_wp rclone_peer; do
    fact "cmd_$v" "${!v}"
done

# timed NAME ROUND CMD... (or timed_pipe NAME ROUND 'A | B'): `measure` or `measure_pipe`
# (rb-common.sh) after running PREP here, plus, in cpu.tsv, the CPU seconds (user + system) of
# the command and all its processes, and s3rver's CPU seconds during it. On a machine shared with
# other work the elapsed time depends on the others; the CPU time much less.
cpu_mark() { times > "$work/times.$1"; }  # the builtin, run in this shell (not in $(...), a fresh process)
cpu_of() {  # CPU seconds of this shell's waited-for children at a cpu_mark (the second line of `times`)
    awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.2f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$work/times.$1"
}
timed_run() { # measure|measure_pipe NAME ROUND ARGS...
    local how=$1 name=$2 round=$3 server0
    [[ -z ${PREP:-} ]] || eval "$PREP"
    server0=$(s3rver_cpu)
    cpu_mark before
    PREP= "$how" "${@:2}"
    cpu_mark after
    printf '%s\t%s\t%s\t%s\n' "$name" "$round" "$(awk -v a="$(cpu_of before)" -v b="$(cpu_of after)" 'BEGIN { printf "%.2f", b - a }')" \
        "$(awk -v a="$server0" -v b="$(s3rver_cpu)" 'BEGIN { printf "%.2f", b - a }')" >> "$results/cpu.tsv"
}
timed() { timed_run measure "$@"; }
timed_pipe() { timed_run measure_pipe "$@"; }
purge() { rclone purge "s3b:bench/$1" 2> /dev/null || true; }  # untimed; absent is fine
newest() { find "$1" -name "$2" -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-; }
# The bucket must hold exactly what was uploaded: compare each object with its local original.
same_object() { # LOCAL_FILE S3_KEY
    cmp -s "$1" <(rclone cat "s3b:bench/$2") || { echo "bench: s3://bench/$2 differs from $1" >&2; exit 1; }
}

for ((round = 0; round <= BENCH_REPS; round++)); do
    say "round $round of $BENCH_REPS (0 = warm-up)"
    timed wp_startup "$round" "$BENCH_WPBACKUP" -Command '$null'
    # Offsite: straight into the bucket, and the two-step peers.
    PREP='rm -rf "$D_DISK"' timed wp_full_disk "$round" "$BENCH_WPBACKUP" -Command "$wp_disk"
    PREP='purge rclone-wp' timed rclone_upload_wp "$round" bash -c "$rclone_wp"
    PREP='purge wp' timed wp_full_s3 "$round" "$BENCH_WPBACKUP" -Command "$wp_s3"
    PREP='rm -rf "$PEER_OUT"; mkdir -p "$PEER_OUT"' timed_pipe peer_files_disk "$round" "$peer_files"
    timed_pipe peer_db_disk "$round" "$peer_db"
    PREP='purge rclone-peer' timed rclone_upload_peer "$round" bash -c "$rclone_peer"
    PREP='purge copy' timed wp_copy_s3 "$round" "$BENCH_WPBACKUP" -Command "$wp_copy"
    # Encryption on the way out.
    PREP='rm -rf "$D_AGE"' timed wp_full_disk_age "$round" "$BENCH_WPBACKUP" -Command "$wp_age"
    PREP='rm -rf "$D_PASS"' timed wp_full_disk_pass "$round" "$BENCH_WPBACKUP" -Command "$wp_pass"
    PREP='purge wp-age' timed wp_full_s3_age "$round" "$BENCH_WPBACKUP" -Command "$wp_s3_age"

    if ((round == 0)); then
        # Check once that each path stored the real thing, and keep one archive of each kind.
        plain=$(newest "$D_DISK" '*.tar.zst')
        same_object "$plain" "rclone-wp/${plain#"$D_DISK"/}"
        same_object "$plain" "copy/${plain#"$D_DISK"/}"
        wp_key=$(rclone lsf -R --files-only s3b:bench/wp | grep '\.tar\.zst$')
        rclone cat "s3b:bench/wp/$wp_key" | zstd -dc | tar -tf - > "$work/s3-list.txt"
        fact s3_archive_entries "$(wc -l < "$work/s3-list.txt")"
        age_key=$(rclone lsf -R --files-only s3b:bench/wp-age | grep '\.age$')
        rclone cat "s3b:bench/wp-age/$age_key" | age -d -i "$key" | zstd -dc | tar -tf - > /dev/null
        # Kept whole (archive + sidecar) for the read-back rounds, as the newest backups were written.
        rm -rf "$work/keep"; mkdir -p "$work/keep"; cp -a "$D_DISK" "$work/keep/plain"; cp -a "$D_AGE" "$work/keep/age"; cp -a "$D_PASS" "$work/keep/pass"
        ARCHIVE_PLAIN=$(newest "$work/keep/plain" '*.tar.zst') ARCHIVE_AGE=$(newest "$work/keep/age" '*.age') ARCHIVE_PASS=$(newest "$work/keep/pass" '*.age')
        export ARCHIVE_PLAIN ARCHIVE_AGE ARCHIVE_PASS
        fact size_plain "$(stat -c %s "$ARCHIVE_PLAIN")"; fact size_age "$(stat -c %s "$ARCHIVE_AGE")"; fact size_pass "$(stat -c %s "$ARCHIVE_PASS")"
        fact size_peer "$(du -cb "$PEER_OUT"/* | tail -n 1 | cut -f1)"
        fact dump_bytes "$(zstd -dc -q "$PEER_OUT/db.sql.zst" | wc -c)"
        age -r "$BENCH_RECIPIENT" -o "$work/cli.age" "$ARCHIVE_PLAIN"  # the age CLI's file, decrypted by both below
    fi

    # The age layer alone on the same plaintext archive, both directions, files in and out.
    PREP='rm -f "$work/ours.age"' timed wp_age_encrypt_file "$round" "$BENCH_WPBACKUP" -File "$bench_dir/lib/s3-age-file.ps1" encrypt "$ARCHIVE_PLAIN" "$work/ours.age" "$key"
    PREP='rm -f "$work/theirs.age"' timed age_cli_encrypt_file "$round" age -r "$BENCH_RECIPIENT" -o "$work/theirs.age" "$ARCHIVE_PLAIN"
    PREP='rm -f "$work/ours.out"' timed wp_age_decrypt_file "$round" "$BENCH_WPBACKUP" -File "$bench_dir/lib/s3-age-file.ps1" decrypt "$work/cli.age" "$work/ours.out" "$key"
    PREP='rm -f "$work/theirs.out"' timed age_cli_decrypt_file "$round" age -d -i "$key" -o "$work/theirs.out" "$work/cli.age"
    # Each side opens the other's ciphertext.
    age -d -i "$key" "$work/ours.age" | cmp -s - "$ARCHIVE_PLAIN" || { echo "bench: age cannot open WpBackup's file" >&2; exit 1; }
    cmp -s "$work/ours.out" "$ARCHIVE_PLAIN" && cmp -s "$work/theirs.out" "$ARCHIVE_PLAIN" || { echo "bench: a decryption differs" >&2; exit 1; }
    rm -f "$work/ours.out" "$work/theirs.out"
    # Reading back: Test-WpBackup (reads and checks everything) vs decrypt + decompress.
    timed wp_test_plain "$round" "$BENCH_WPBACKUP" -Command "$wp_test_plain"
    timed zstd_d_plain "$round" bash -c "zstd -dc -q $ARCHIVE_PLAIN > /dev/null"
    timed wp_test_age "$round" "$BENCH_WPBACKUP" -Command "$wp_test_age"
    timed_pipe age_d_zstd_d "$round" "age -d -i $key $ARCHIVE_AGE | zstd -dc -q > /dev/null"
    timed wp_test_pass "$round" "$BENCH_WPBACKUP" -Command "$wp_test_pass"
    PREP='rm -rf "$TARGET"' timed wp_restore_files_age "$round" "$BENCH_WPBACKUP" -Command "$wp_restore_age"
    PREP='rm -rf "$TARGET"; mkdir -p "$TARGET"' timed_pipe age_d_tar_x "$round" "age -d -i $key $ARCHIVE_AGE | tar --zstd -xf - -C $TARGET"
done
rm -rf "$TARGET"

# Where the time goes: one more backup to disk and one into the bucket with -Verbose, each line
# stamped with seconds since the start, and s3rver's CPU share over each second beside it (not
# part of the figures above).
stamp() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%6.2f", b - a }'; }
timeline() { # NAME COMMAND
    local start=$EPOCHREALTIME log=$results/logs/timeline-$1.log sampler
    (   cpu0=$(s3rver_cpu)
        while sleep 1; do  # one sample a second, until stopped
            cpu1=$(s3rver_cpu)
            printf '%s  (s3rver CPU %3.0f%% of one core)\n' "$(stamp "$start")" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print 100 * (b - a) }')"
            cpu0=$cpu1
        done > "$log.cpu" ) &
    sampler=$!
    if ! "$BENCH_WPBACKUP" -Command "$2 -Verbose" 2>&1 | while IFS= read -r line; do printf '%s  %s\n' "$(stamp "$start")" "$line"; done > "$log"; then
        kill "$sampler"; echo "bench: the -Verbose run '$1' failed:" >&2; tail -n 20 "$log" >&2; exit 1
    fi
    printf '%s  (exit)\n' "$(stamp "$start")" >> "$log"
    kill "$sampler"; wait "$sampler" 2> /dev/null || true
    sort -n -s -k1,1 "$log" "$log.cpu" > "$log.both" && mv "$log.both" "$log" && rm -f "$log.cpu"
}
rm -rf "$D_DISK"; timeline backup-disk "$wp_disk"
purge wp; timeline backup-s3 "$wp_s3"
fact load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
say done
