#!/usr/bin/env bash
# Incremental backups over many nights: WpBackup -Type Incremental vs -Type Full vs restic, on
# a sandbox site grown to BENCH_FILES files; plus no-change runs (local, SSH) vs `find`, restore
# of the last backup, and Get-WpBackup / Remove-WpBackup -WhatIf over 5,000 sidecars.
#   bench/incremental.sh                                   # 20,000 files, 1000 MB, 30 nights
#   BENCH_DATA_MB=300 BENCH_NIGHTS=8 bench/incremental.sh  # a reduced run
# Knobs: BENCH_FILES (20000), BENCH_DATA_MB (1000), BENCH_NIGHTS (30), BENCH_CHURN % of files
# per night (1), BENCH_REPS rounds of the restore / no-change / listing figures (3).
# Needs root (user wpbbench, sshd). Raw results: bench/work/incremental-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_FILES=${BENCH_FILES:-20000} BENCH_DATA_MB=${BENCH_DATA_MB:-1000} BENCH_NIGHTS=${BENCH_NIGHTS:-30}
export BENCH_CHURN=${BENCH_CHURN:-1} BENCH_REPS=${BENCH_REPS:-3}
export BENCH_WPBACKUP=$(realpath -m src/WpBackup.Shell/bin/Release/net10.0/wpbackup)
[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || dotnet build WpBackup.sln -c Release --nologo -v quiet >&2
results=$PWD/bench/work/incremental-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"
{ echo "date=$(date -u '+%F %T') commit=$(git rev-parse --short HEAD) nproc=$(nproc)"; lscpu | sed -n 's/^Model name: *//p'; free -g | sed -n 2p; } > "$results/machine.txt"
dotnet src/WpBackup.Sandbox/bin/Release/net10.0/WpBackup.Sandbox.dll run -- bash bench/lib/rb-incremental-inside.sh "$results"
# Nights 2..N only (night 1 is the first, full-sized backup of every tool).
awk -F'\t' '$2 >= 2 && $1 ~ /^(wp_incremental|wp_full|restic_backup)$/' "$results/results.tsv" > "$results/nights.tsv"
awk -F'\t' '!($2 >= 1 && $1 ~ /^(wp_incremental|wp_full|restic_backup)$/)' "$results/results.tsv" > "$results/other.tsv"
{ echo "### Nights 2..$BENCH_NIGHTS"; perl bench/lib/rb-summary.pl "$results/nights.tsv" wp_incremental/restic_backup wp_full/restic_backup wp_incremental/wp_full
  echo; echo "### Other"; perl bench/lib/rb-summary.pl "$results/other.tsv" wp_restore_last_incremental/restic_restore_latest \
    wp_incremental_nochange_local/find_local wp_incremental_nochange_ssh/find_ssh
  echo; echo "### Storage after each night (bytes: incremental, full, restic)"; cat "$results/storage.tsv"; } > "$results/summary.md"
cat "$results/summary.md"; echo "results: $results" >&2
