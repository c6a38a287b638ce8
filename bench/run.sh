#!/usr/bin/env bash
# WpBackup against the peers a sysadmin would otherwise use (tar | zstd, mariadb-dump | zstd,
# and back), on one real WordPress site with ~1 GB of uploads and a few hundred MB of
# database, in one run; writes the figures to docs/benchmarks.md.
#
#   bench/run.sh                                        # the published figures (~20 min)
#   BENCH_UPLOADS_MB=50 BENCH_DB_MB=20 BENCH_REPS=1 bench/run.sh   # a quick look
#
# Knobs (environment):
#   BENCH_UPLOADS_MB  size of wp-content/uploads, half random .jpg, half text  (1000)
#   BENCH_DB_MB       generated posts + postmeta, about the size of the dump   (300)
#   BENCH_REPS        measured rounds after one warm-up round; medians reported (3)
#   BENCH_DOC         the page to write                          (docs/benchmarks.md)
#   BENCH_WPBACKUP    the wpbackup host to run       (src/WpBackup.Shell/bin/Release/net10.0/wpbackup)
#   BENCH_QUIET_WAIT  before each timed run, wait up to this many seconds for a second in
#                     which other processes use almost no CPU (60) ...
#   BENCH_QUIET_BUDGET  ... but no more than this many seconds over the whole run (300).
#                     The page reports the other load measured during every run either way.
#   BENCH_RETRIES     repeats of a run disturbed by other work (>10% of the CPUs) (2) ...
#   BENCH_RETRY_LIMIT ... and at most this many repeats in the whole run (20).
# Needs root or sudo for .ci/install-deps.sh on a fresh machine; runs as root here.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$EPOCHREALTIME

export BENCH_UPLOADS_MB=${BENCH_UPLOADS_MB:-1000}
export BENCH_DB_MB=${BENCH_DB_MB:-300}
export BENCH_REPS=${BENCH_REPS:-3}
doc=${BENCH_DOC:-docs/benchmarks.md}
default_host=src/WpBackup.Shell/bin/Release/net10.0/wpbackup
export BENCH_WPBACKUP=$(realpath -m "${BENCH_WPBACKUP:-$default_host}")

command="BENCH_UPLOADS_MB=$BENCH_UPLOADS_MB BENCH_DB_MB=$BENCH_DB_MB BENCH_REPS=$BENCH_REPS bench/run.sh"
[[ -z ${BENCH_DOC:-} ]] || command="BENCH_DOC=$BENCH_DOC $command"

bash .ci/install-deps.sh
echo "bench: building Release" >&2
dotnet build WpBackup.sln -c Release --nologo -v quiet >&2
dotnet build bench/stages -c Release --nologo -v quiet >&2
export BENCH_STAGES=$repo/bench/stages/bin/Release/net10.0/WpBackup.BenchStages.dll

# The host must run a PowerShell command with the module loaded.
if ! probe=$("$BENCH_WPBACKUP" -Command '(Get-Command New-WpBackup).Name' 2>&1) || [[ $probe != *New-WpBackup* ]]; then
    echo "bench: '$BENCH_WPBACKUP' cannot run 'wpbackup -Command ...' with the WpBackup module:" >&2
    echo "$probe" | head -n 5 >&2
    exit 1
fi

results=$repo/bench/work/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"
machine=$results/machine.env
fact() { printf '%s=%q\n' "$1" "$2" >> "$machine"; }
fact bench_command "$command"
fact bench_uploads_mb "$BENCH_UPLOADS_MB"
fact run_date_utc "$(date -u '+%Y-%m-%d %H:%M')"
fact git_commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (with uncommitted changes)')"
if [[ $BENCH_WPBACKUP == "$(realpath -m "$default_host")" ]]; then
    fact wpbackup_host "$default_host (the src/WpBackup.Shell host)"
else
    fact wpbackup_host "$BENCH_WPBACKUP (BENCH_WPBACKUP, not the shipped host)"
fi
fact nproc "$(nproc)"
fact cpu_model "$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
fact ram_gb "$(awk '/MemTotal/ {printf "%.1f GB (%.1f GiB)", $2 * 1024 / 1e9, $2 / 1048576}' /proc/meminfo)"
tmp=${TMPDIR:-/tmp}
# Sequential write speed of the disk the sandbox lives on (1 GiB, flushed), for context.
probe_file=$(mktemp "$tmp/bench-dd.XXXXXX")
write_speed=$(dd if=/dev/zero of="$probe_file" bs=1M count=1024 conv=fdatasync 2>&1 | sed -n 's/.*, \([0-9.,]* [MG]B\/s\)$/\1/p')
rm -f "$probe_file"
fact disk "$(findmnt -no FSTYPE,SOURCE -T "$tmp" | awk '{print $1 " on " $2}'), $(df -h --output=size "$tmp" | tail -n 1 | tr -d ' '); sequential write $write_speed (dd 1 GiB, fdatasync); sandbox, archives and restores all in $tmp"
fact os "$(. /etc/os-release && echo "$PRETTY_NAME")"
fact kernel "$(uname -r)"
fact dotnet_version "$(dotnet --version)"
fact zstd_version "zstd $(zstd --version | grep -o 'v[0-9.]*')"
fact tar_version "$(tar --version | head -n 1)"
fact dump_version "$(mariadb-dump --version | sed 's/, for.*//')"
fact server_version "$(mariadbd --version 2>/dev/null | sed 's/ for .*//' || /usr/sbin/mariadbd --version | sed 's/ for .*//')"
fact wp_version "$(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" /usr/share/wordpress/wp-includes/version.php)"

echo "bench: sandbox with ${BENCH_UPLOADS_MB} MB uploads; results in $results" >&2
dotnet src/WpBackup.Sandbox/bin/Release/net10.0/WpBackup.Sandbox.dll run --uploads-mb "$BENCH_UPLOADS_MB" -- \
    bash bench/lib/inside.sh "$results"

fact run_minutes "$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) / 60 }')"
mkdir -p "$(dirname "$doc")"
perl bench/lib/report.pl "$results" "$doc" > "$results/benchmarks.md"
cp "$results/benchmarks.md" "$doc"
echo "bench: wrote $doc" >&2
