#!/usr/bin/env bash
# Offsite and encryption: WpBackup writing straight into an S3 bucket against WpBackup (or
# tar|zstd + mariadb-dump|zstd) to disk then `rclone copy`, and WpBackup's age encryption against
# the age CLI, on one sandbox WordPress site and a private s3rver on 127.0.0.1, in one run with
# the tools interleaved (see bench/lib/s3-inside.sh for the list).
#   bench/s3.sh                                          # the published figures
#   BENCH_UPLOADS_MB=50 BENCH_DB_MB=10 BENCH_REPS=1 bench/s3.sh   # a quick look
# Knobs: BENCH_UPLOADS_MB wp-content/uploads (500), BENCH_DB_MB generated posts, about the dump's
# size (100), BENCH_REPS measured rounds after one warm-up; medians reported (3),
# BENCH_SKIP_BUILD=1 use the Release build as it is.
# Needs root (apt-get install rclone when it is missing). Raw results and the markdown section:
# bench/work/s3-<time>/ (summary.md goes into docs/benchmarks.md by hand, with the analysis).
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_UPLOADS_MB=${BENCH_UPLOADS_MB:-500} BENCH_DB_MB=${BENCH_DB_MB:-100} BENCH_REPS=${BENCH_REPS:-3}
export BENCH_WPBACKUP=$(realpath -m src/WpBackup.Shell/bin/Release/net10.0/wpbackup)
command="BENCH_UPLOADS_MB=$BENCH_UPLOADS_MB BENCH_DB_MB=$BENCH_DB_MB BENCH_REPS=$BENCH_REPS bench/s3.sh"

bash .ci/install-deps.sh >&2  # MariaDB, WordPress, zstd, age, GNU time, s3rver in .ci/node
# rclone is only the benchmark's peer, so it is installed here rather than for every CI run.
command -v rclone > /dev/null || { apt-get install -y -q rclone >&2 || { apt-get update -q >&2 && apt-get install -y -q rclone >&2; }; }
[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || dotnet build WpBackup.sln -c Release --nologo -v quiet >&2

results=$PWD/bench/work/s3-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"
{
    printf 'command=%q\n' "$command"
    printf 'run_date_utc=%q\n' "$(date -u '+%F %H:%M')"
    printf 'git_commit=%q\n' "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (with uncommitted changes)')"
    printf 'machine=%q\n' "$(nproc) vCPUs $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
    printf 'load_start=%q\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$results/machine.env"
dotnet src/WpBackup.Sandbox/bin/Release/net10.0/WpBackup.Sandbox.dll run --uploads-mb "$BENCH_UPLOADS_MB" -- \
    bash bench/lib/s3-inside.sh "$results"
perl bench/lib/s3-report.pl "$results" > "$results/summary.md"
cat "$results/summary.md"; echo "results: $results" >&2
