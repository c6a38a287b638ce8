#!/usr/bin/env bash
# WpBackup's remote (SSH) backup and restore against OpenSSH + tar + zstd + mariadb-dump, on a
# sandbox WordPress site served by a private sshd on 127.0.0.1 (user wpbbench, key auth).
#   bench/remote.sh                                   # BENCH_UPLOADS_MB=1000 BENCH_REPS=3
#   BENCH_UPLOADS_MB=200 BENCH_REPS=1 bench/remote.sh # a reduced run
# Knobs: BENCH_UPLOADS_MB (1000), BENCH_POSTS (300), BENCH_REPS measured rounds after one
# warm-up (3), BENCH_ONLY_CAT=1 only the channel test, BENCH_ONLY_FULL=1 only full backup/restore and
# their peers, BENCH_BIG_MB size of the file `cat` over OpenSSH / SSH.NET (500), BENCH_WPBACKUP_BASELINE
# another build's wpbackup (e.g. of an older commit) timed right after this one on full backup/restore.
# Needs root (creates user wpbbench, runs sshd). Raw results: bench/work/remote-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_UPLOADS_MB=${BENCH_UPLOADS_MB:-1000} BENCH_REPS=${BENCH_REPS:-3} BENCH_POSTS=${BENCH_POSTS:-300}
export BENCH_WPBACKUP=$(realpath -m src/WpBackup.Shell/bin/Release/net10.0/wpbackup)
[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || dotnet build WpBackup.sln -c Release --nologo -v quiet >&2
results=$PWD/bench/work/remote-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"
{ echo "date=$(date -u '+%F %T') commit=$(git rev-parse --short HEAD) nproc=$(nproc)"; lscpu | sed -n 's/^Model name: *//p'; free -g | sed -n 2p; } > "$results/machine.txt"
dotnet src/WpBackup.Sandbox/bin/Release/net10.0/WpBackup.Sandbox.dll run --posts "$BENCH_POSTS" --uploads-mb "$BENCH_UPLOADS_MB" -- \
    bash bench/lib/rb-remote-inside.sh "$results"
perl bench/lib/rb-summary.pl "$results/results.tsv" wp_backup_full_none/peer_backup_files+peer_backup_db \
    wp_backup_full_none_baseline/peer_backup_files+peer_backup_db wp_backup_full_none/wp_backup_full_none_baseline \
    wp_restore_full/peer_restore_files+peer_restore_db wp_restore_full_baseline/peer_restore_files+peer_restore_db \
    wp_restore_full/wp_restore_full_baseline wp_backup_full_zstd/peer_backup_files \
    wp_backup_files_none/peer_backup_files wp_backup_files_zstd/peer_backup_files_wirezstd wp_restore_files/peer_restore_files \
    wp_restore_full/peer_restore_files sshnet_cat/openssh_cat > "$results/summary.md"
cat "$results/summary.md"; echo "results: $results" >&2
