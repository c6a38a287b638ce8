#!/usr/bin/env bash
# Runs inside `WpBackup.Sandbox run` (see bench/remote.sh). Copies the sandbox site into the
# home of user wpbbench, serves it with its own sshd on 127.0.0.1, and times WpBackup's
# remote backup/restore against OpenSSH + tar + zstd + mariadb-dump on the same data.
set -euo pipefail
results=$1
bench_dir=$(cd "$(dirname "$0")/.." && pwd)
BENCH_ONLY_CAT=${BENCH_ONLY_CAT:-0}  # 1: only the OpenSSH / SSH.NET `cat` comparison
BENCH_ONLY_FULL=${BENCH_ONLY_FULL:-0}  # 1: only full backup / full restore and their peers
baseline=${BENCH_WPBACKUP_BASELINE:-}  # another build's wpbackup, timed right after this one on the same operations
: "${WPBACKUP_DEMO_SITES:?run me through WpBackup.Sandbox run}" "${BENCH_WPBACKUP:?}" "${BENCH_REPS:?}"
work=$(dirname "$WPBACKUP_ROOT")/bench-remote
mkdir -p "$work" "$results/logs"; : > "$results/results.tsv"; : > "$results/facts.env"
source "$bench_dir/lib/rb-common.sh"
trap stop_sshd EXIT
start_sshd

src_site=$WPBACKUP_DEMO_SITES/demo.example/htdocs
export REMOTE_ROOT=$SSH_DIR/site REMOTE_TARGET=$SSH_HOME/$SSH_TAG-restored  # outside $SSH_DIR, where Find-WpSite looks
rm -rf "$REMOTE_ROOT" "$REMOTE_TARGET"
cp -a "$src_site" "$REMOTE_ROOT"
chown -R "$SSH_USER:$SSH_USER" "$REMOTE_ROOT"
db=$(php "$bench_dir/lib/peer-option-file.php" "$REMOTE_ROOT/wp-config.php" "$SSH_DIR/.peer.cnf")
chown "$SSH_USER:$SSH_USER" "$SSH_DIR/.peer.cnf"; chmod 600 "$SSH_DIR/.peer.cnf"
fact files_bytes "$(find "$REMOTE_ROOT" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')"
fact files_count "$(find "$REMOTE_ROOT" -type f | wc -l)"
r() { ssh $SSH_OPTS "$SSH_USER@127.0.0.1" "$@"; }
fact dump_bytes "$(r "mariadb-dump --defaults-extra-file=$SSH_TAG/.peer.cnf --single-transaction --quick $db" | wc -c)"

export BENCH_DEST=$work/wp-dest BENCH_OUT=$work/peer
mkdir -p "$BENCH_OUT"
conn='-ComputerName 127.0.0.1 -Port $env:SSH_PORT -UserName $env:SSH_USER -KeyFile $env:SSH_KEY -KnownHostsFile $env:KNOWN_HOSTS'
find_site='$s = Find-WpSite -Path $env:SSH_DIR '"$conn"'; '
wp_full_none=$find_site'$null = New-WpBackup -Site $s -Type Full -TransferCompression None -Destination $env:BENCH_DEST'
wp_full_zstd=$find_site'$null = New-WpBackup -Site $s -Type Full -TransferCompression Zstd -Destination $env:BENCH_DEST'
wp_files_none=$find_site'$null = New-WpBackup -Site $s -Type Files -TransferCompression None -Destination $env:BENCH_DEST'
wp_files_zstd=$find_site'$null = New-WpBackup -Site $s -Type Files -TransferCompression Zstd -Destination $env:BENCH_DEST'
wp_restore_full='Restore-WpBackup -Path $env:BENCH_ARCHIVE -Target $env:REMOTE_TARGET '"$conn"' -Confirm:$false'
wp_restore_files='Restore-WpBackup -Path $env:BENCH_ARCHIVE -Type Files -Target $env:REMOTE_TARGET '"$conn"' -Confirm:$false'
ssh_="ssh $SSH_OPTS $SSH_USER@127.0.0.1"
dump_opts="--single-transaction --quick --routines --triggers --hex-blob --no-tablespaces --skip-dump-date --default-character-set=utf8mb4"
peer_files="$ssh_ 'tar -cf - -C $SSH_TAG/site .' | zstd -3 -T0 -q > $BENCH_OUT/files.tar.zst"
peer_files_wire="$ssh_ 'tar -cf - -C $SSH_TAG/site . | zstd -3 -T0 -q' > $BENCH_OUT/files.tar.zst"
peer_db="$ssh_ 'mariadb-dump --defaults-extra-file=$SSH_TAG/.peer.cnf $dump_opts $db' | zstd -3 -T0 -q > $BENCH_OUT/db.sql.zst"
peer_restore_files="zstd -dc -q < $BENCH_OUT/files.tar.zst | $ssh_ 'mkdir -p $SSH_TAG-restored && tar -xf - -C $SSH_TAG-restored'"
peer_restore_db="zstd -dc -q < $BENCH_OUT/db.sql.zst | $ssh_ 'mariadb --defaults-extra-file=$SSH_TAG/.peer.cnf $db'"
[[ -z $baseline ]] || fact baseline "$baseline"
for v in wp_full_none wp_full_zstd wp_files_none wp_files_zstd wp_restore_full wp_restore_files peer_files peer_files_wire peer_db peer_restore_files peer_restore_db; do fact "cmd_$v" "${!v}"; done

wpb() { "$BENCH_WPBACKUP" -Command "$1"; }
clear_dest='rm -rf "$BENCH_DEST"; mkdir -p "$BENCH_DEST"'
clear_target="$ssh_ 'rm -rf $SSH_TAG-restored'"
newest_archive() { find "$BENCH_DEST" -name '*.tar.zst' | head -n 1; }

for ((round = 0; round <= (BENCH_ONLY_CAT ? -1 : BENCH_REPS); round++)); do
    say "round $round of $BENCH_REPS (0 = warm-up)"
    PREP=$clear_dest measure wp_backup_full_none "$round" "$BENCH_WPBACKUP" -Command "$wp_full_none"
    fact size_wp_full "$(stat -c %s "$(newest_archive)")"
    export BENCH_ARCHIVE=$work/full.tar.zst; cp "$(newest_archive)" "$BENCH_ARCHIVE"
    [[ -z $baseline ]] || PREP=$clear_dest measure wp_backup_full_none_baseline "$round" "$baseline" -Command "$wp_full_none"
    if [[ $BENCH_ONLY_FULL != 1 ]]; then
        PREP=$clear_dest measure wp_backup_full_zstd "$round" "$BENCH_WPBACKUP" -Command "$wp_full_zstd"
        PREP=$clear_dest measure wp_backup_files_none "$round" "$BENCH_WPBACKUP" -Command "$wp_files_none"
        PREP=$clear_dest measure wp_backup_files_zstd "$round" "$BENCH_WPBACKUP" -Command "$wp_files_zstd"
    fi
    measure_pipe peer_backup_files "$round" "$peer_files"
    fact size_peer_files "$(stat -c %s "$BENCH_OUT/files.tar.zst")"
    [[ $BENCH_ONLY_FULL == 1 ]] || measure peer_backup_files_wirezstd "$round" bash -c "$peer_files_wire"  # RSS: the local ssh client
    measure_pipe peer_backup_db "$round" "$peer_db"
    fact size_peer_db "$(stat -c %s "$BENCH_OUT/db.sql.zst")"
    PREP=$clear_target measure wp_restore_full "$round" "$BENCH_WPBACKUP" -Command "$wp_restore_full"
    [[ -z $baseline ]] || PREP=$clear_target measure wp_restore_full_baseline "$round" "$baseline" -Command "$wp_restore_full"
    [[ $BENCH_ONLY_FULL == 1 ]] || PREP=$clear_target measure wp_restore_files "$round" "$BENCH_WPBACKUP" -Command "$wp_restore_files"
    PREP=$clear_target measure_pipe peer_restore_files "$round" "$peer_restore_files"
    measure_pipe peer_restore_db "$round" "$peer_restore_db"
done

# Raw channel throughput: `cat` of one big incompressible file, OpenSSH vs SSH.NET.
big_mb=${BENCH_BIG_MB:-500}
head -c $((big_mb * 1048576)) /dev/urandom > "$SSH_DIR/big.bin"; chown "$SSH_USER:" "$SSH_DIR/big.bin"
fact big_bytes "$((big_mb * 1048576))"
dll=$(find "$(dirname "$BENCH_WPBACKUP")" -name 'Renci.SshNet.dll' | head -n 1)
fact sshnet_dll "$dll ($(basename "$(dirname "$dll")"))"
for ((round = 0; round <= BENCH_REPS; round++)); do
    measure openssh_cat "$round" bash -c "$ssh_ 'cat $SSH_TAG/big.bin' > /dev/null"
    measure sshnet_cat "$round" "$BENCH_WPBACKUP" -Command "& '$bench_dir/lib/rb-sshnet-cat.ps1' '$dll' 127.0.0.1 $SSH_PORT $SSH_USER '$SSH_KEY' '$SSH_DIR/big.bin'"
done
rm -f "$SSH_DIR/big.bin"
rm -rf "$REMOTE_ROOT" "$REMOTE_TARGET"
say "done"
