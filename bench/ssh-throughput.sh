#!/usr/bin/env bash
# Raw SSH channel throughput: SSH.NET (built for net10.0 and for net8.0) against the OpenSSH
# client, per cipher and MAC, reading `head -c N /dev/zero` from a private sshd on 127.0.0.1.
#   bench/ssh-throughput.sh                               # 300 MB, 3 measured rounds after a warm-up
#   BENCH_MB=100 BENCH_REPS=1 bench/ssh-throughput.sh     # a quick look
# Knobs: BENCH_MB, BENCH_REPS, BENCH_CIPHERS, BENCH_MACS, BENCH_BUFFERS (comma lists passed to
# bench/SshThroughput), BENCH_TFMS ("net10.0 net8.0"), BENCH_DIRECTIONS ("down up": server to
# client as in a backup, client to server as in a restore). Needs root (user wpbbench, sshd).
# Raw results: bench/work/ssh-throughput-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || dotnet build bench/SshThroughput -c Release --nologo -v quiet >&2
results=$PWD/bench/work/ssh-throughput-$(date -u +%Y%m%dT%H%M%SZ)
work=$results/$(basename "$results")  # its name tags the sshd user's authorized_keys file: unique per run
mkdir -p "$work"; : > "$results/facts.env"
source bench/lib/rb-common.sh
# The tag is unique per run, so its login key and folder go when the run ends.
cleanup() { stop_sshd; [[ -z ${SSH_TAG:-} ]] || rm -rf "$SSH_HOME/.ssh/authorized_keys.$SSH_TAG" "$SSH_HOME/$SSH_TAG"; }
trap cleanup EXIT
start_sshd
{ echo "date=$(date -u '+%F %T') commit=$(git rev-parse --short HEAD) nproc=$(nproc) load=$(cat /proc/loadavg)"; lscpu | sed -n 's/^Model name: *//p'; ssh -V 2>&1; } > "$results/machine.txt"
probe_args=(--port "$SSH_PORT" --user "$SSH_USER" --key "$SSH_KEY" --known-hosts "$KNOWN_HOSTS" --mb "${BENCH_MB:-300}" --rounds "${BENCH_REPS:-3}")
[[ -z ${BENCH_CIPHERS:-} ]] || probe_args+=(--ciphers "$BENCH_CIPHERS")
[[ -z ${BENCH_MACS:-} ]] || probe_args+=(--macs "$BENCH_MACS")
[[ -z ${BENCH_BUFFERS:-} ]] || probe_args+=(--buffers "$BENCH_BUFFERS")
for direction in ${BENCH_DIRECTIONS:-down up}; do
    for tfm in ${BENCH_TFMS:-net10.0 net8.0}; do
        say "$direction: SSH.NET built for $tfm (with OpenSSH runs interleaved)"
        dotnet "bench/SshThroughput/bin/Release/$tfm/SshThroughput.dll" "${probe_args[@]}" --direction "$direction" \
            > "$results/$direction-$tfm.tsv" 2> >(tee "$results/$direction-$tfm.log" >&2)
        sed -n '/^direction\t/,$p' "$results/$direction-$tfm.tsv" | column -t -s $'\t'
    done
done
echo "results: $results" >&2
