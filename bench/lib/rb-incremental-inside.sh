#!/usr/bin/env bash
# Runs inside `WpBackup.Sandbox run` (see bench/incremental.sh): grows the sandbox site by
# BENCH_FILES files (~BENCH_DATA_MB MiB) in wp-content/uploads/bench, then BENCH_NIGHTS nights
# of churn (BENCH_CHURN % of the files) each followed by WpBackup -Type Incremental, WpBackup
# -Type Full and restic backup (site + a mariadb-dump file) into three destinations.
set -euo pipefail
results=$1
bench_dir=$(cd "$(dirname "$0")/.." && pwd)
: "${WPBACKUP_DEMO_SITES:?run me through WpBackup.Sandbox run}" "${BENCH_WPBACKUP:?}"
: "${BENCH_FILES:?}" "${BENCH_DATA_MB:?}" "${BENCH_NIGHTS:?}" "${BENCH_CHURN:?}" "${BENCH_REPS:?}"
work=$(dirname "$WPBACKUP_ROOT")/bench-incr
mkdir -p "$work" "$results/logs"; : > "$results/results.tsv"; : > "$results/facts.env"; : > "$results/storage.tsv"
source "$bench_dir/lib/rb-common.sh"
trap stop_sshd EXIT

export BENCH_SITE=$WPBACKUP_DEMO_SITES/demo.example/htdocs
say "generating $BENCH_FILES files, ~$BENCH_DATA_MB MiB"
python3 "$bench_dir/lib/rb-tree.py" gen "$BENCH_SITE/wp-content/uploads/bench" "$BENCH_FILES" "$BENCH_DATA_MB" 7
fact files_count "$(find "$BENCH_SITE" -type f | wc -l)"
fact files_bytes "$(find "$BENCH_SITE" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')"
cnf=$work/peer.cnf
db=$(php "$bench_dir/lib/peer-option-file.php" "$BENCH_SITE/wp-config.php" "$cnf")
export RESTIC_REPOSITORY=$work/restic RESTIC_PASSWORD=bench-only-password RESTIC_CACHE_DIR=$work/restic-cache
restic init -q
fact restic_version "$(restic version)"
export D_INC=$work/wp-incr D_FULL=$work/wp-full
mkdir -p "$D_INC" "$D_FULL"
wp_incr='$null = New-WpBackup -Path $env:BENCH_SITE -Type Incremental -Destination $env:D_INC'
wp_full='$null = New-WpBackup -Path $env:BENCH_SITE -Type Full -Destination $env:D_FULL'
restic_cmd="mariadb-dump --defaults-extra-file=$cnf --single-transaction --quick $db > $work/dump.sql && restic backup -q --host bench $BENCH_SITE $work/dump.sql"
for v in wp_incr wp_full restic_cmd; do fact "cmd_$v" "${!v}"; done
sizes() { printf '%s\t%s\t%s\t%s\n' "$1" "$(du -sb "$D_INC" | cut -f1)" "$(du -sb "$D_FULL" | cut -f1)" "$(du -sb "$RESTIC_REPOSITORY" | cut -f1)" >> "$results/storage.tsv"; }

for ((night = 1; night <= BENCH_NIGHTS; night++)); do
    if ((night > 1)); then python3 "$bench_dir/lib/rb-tree.py" churn "$BENCH_SITE/wp-content/uploads/bench" "$night" "$BENCH_CHURN" >> "$results/churn.log"; fi
    measure wp_incremental "$night" "$BENCH_WPBACKUP" -Command "$wp_incr"
    measure wp_full "$night" "$BENCH_WPBACKUP" -Command "$wp_full"
    measure restic_backup "$night" bash -c "$restic_cmd"
    sizes "$night"
done
fact last_state_files "$(find "$BENCH_SITE" -type f | wc -l)"

# Restore of the last backup: the incremental chain vs restic's latest snapshot (files).
last_incr=$(ls -t "$D_INC"/*/*.tar.zst | head -n 1)
fact last_incr "$last_incr"
export BENCH_ARCHIVE=$last_incr BENCH_TARGET=$work/restore-wp
wp_restore='Restore-WpBackup -Path $env:BENCH_ARCHIVE -Type Files -Target $env:BENCH_TARGET -Confirm:$false'
fact cmd_wp_restore "$wp_restore"
for ((round = 1; round <= BENCH_REPS; round++)); do
    PREP='rm -rf "$BENCH_TARGET"' measure wp_restore_last_incremental "$round" "$BENCH_WPBACKUP" -Command "$wp_restore"
    PREP="rm -rf $work/restore-restic" measure restic_restore_latest "$round" restic restore latest -q --target "$work/restore-restic"
done
diff -rq "$BENCH_SITE" "$BENCH_TARGET" > "$results/restore-diff.txt" 2>&1 && fact restore_matches yes || fact restore_matches "differs: $(wc -l < "$results/restore-diff.txt") lines"

# No change: an incremental on an unchanged site vs listing the tree with find.
for ((round = 1; round <= BENCH_REPS; round++)); do
    measure wp_incremental_nochange_local "$round" "$BENCH_WPBACKUP" -Command "$wp_incr"
    measure find_local "$round" bash -c "find '$BENCH_SITE' -printf '%p %s %T@\n' > /dev/null"
    measure wp_db_only_local "$round" "$BENCH_WPBACKUP" -Command '$null = New-WpBackup -Path $env:BENCH_SITE -Type Database -Destination $env:D_FULL'
done
start_sshd
rm -rf "$SSH_DIR/site"; cp -a "$BENCH_SITE" "$SSH_DIR/site"; chown -R "$SSH_USER:$SSH_USER" "$SSH_DIR/site"
export D_REMOTE=$work/wp-remote
conn='-ComputerName 127.0.0.1 -Port $env:SSH_PORT -UserName $env:SSH_USER -KeyFile $env:SSH_KEY -KnownHostsFile $env:KNOWN_HOSTS'
wp_remote_incr='$s = Find-WpSite -Path $env:SSH_DIR '"$conn"'; $null = New-WpBackup -Site $s -Type Incremental -Destination $env:D_REMOTE'
fact cmd_wp_remote_incr "$wp_remote_incr"
measure wp_remote_first_full 1 "$BENCH_WPBACKUP" -Command "$wp_remote_incr"
for ((round = 1; round <= BENCH_REPS; round++)); do
    measure wp_incremental_nochange_ssh "$round" "$BENCH_WPBACKUP" -Command "$wp_remote_incr"
    measure find_ssh "$round" bash -c "ssh $SSH_OPTS $SSH_USER@127.0.0.1 \"find $SSH_TAG/site -printf '%p %s %T@\n'\" > /dev/null"
done
rm -rf "$SSH_DIR/site"

# Listing and retention planning over 5,000 sidecars (copies of one real Full sidecar).
side=$(ls -t "$D_FULL"/*/*.json | head -n 1)
fact sidecar_bytes "$(stat -c %s "$side")"
export D_MANY=$work/many
python3 "$bench_dir/lib/rb-sidecars.py" "$side" "$D_MANY/$(basename "$(dirname "$side")")" 5000 >> "$results/churn.log"
list='@(Get-WpBackup -Destination $env:D_MANY).Count'
plan='$b = Get-WpBackup -Destination $env:D_MANY; $b | Remove-WpBackup -KeepDaily 7 -KeepWeekly 4 -WhatIf'
fact cmd_list "$list"; fact cmd_plan "$plan"
fact list_count "$("$BENCH_WPBACKUP" -Command "$list" | tail -n 1)"
for ((round = 1; round <= BENCH_REPS; round++)); do
    measure get_wpbackup_5000 "$round" "$BENCH_WPBACKUP" -Command "$list"
    measure remove_whatif_5000 "$round" "$BENCH_WPBACKUP" -Command "$plan"
done
measure wp_startup 1 "$BENCH_WPBACKUP" -Command '$null'
fact whatif_lines "$(wc -l < "$results/logs/remove_whatif_5000.1.log")"
say done
