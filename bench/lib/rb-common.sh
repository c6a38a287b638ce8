#!/usr/bin/env bash
# Shared by bench/lib/rb-remote-inside.sh and bench/lib/rb-incremental-inside.sh (sourced).
# measure NAME ROUND CMD...   one timed run under /usr/bin/time -f '%e %M'; appends to
#   $results/results.tsv: name round seconds peak_rss_kb load1_before
#   (PARTS="f1 f2": sum of those per-process peak RSS files instead, for a pipeline).
# start_sshd: own sshd on 127.0.0.1 for user wpbbench (key auth only), sets SSH_PORT,
#   SSH_KEY, KNOWN_HOSTS, SSH_HOME, SSH_OPTS (for the OpenSSH client).
export work
say() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
fact() { printf '%s=%q\n' "$1" "$2" >> "$results/facts.env"; }
rss() { local n=$1; shift; /usr/bin/time -f %M -o "$work/rss.$n" "$@"; }
export -f rss

measure() {
    local name=$1 round=$2 load seconds rss_kb
    shift 2
    [[ -z ${PREP:-} ]] || eval "$PREP"
    sync
    load=$(cut -d' ' -f1 /proc/loadavg)
    if ! /usr/bin/time -f '%e %M' -o "$work/time.out" "$@" > "$results/logs/$name.$round.log" 2>&1; then
        echo "bench: '$name' failed (round $round):" >&2; tail -n 30 "$results/logs/$name.$round.log" >&2; exit 1
    fi
    read -r seconds rss_kb < <(tail -n 1 "$work/time.out")
    if [[ -n ${PARTS:-} ]]; then
        rss_kb=0; for p in $PARTS; do rss_kb=$((rss_kb + $(tail -n 1 "$p"))); done
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "$seconds" "$rss_kb" "$load" >> "$results/results.tsv"
    say "$name #$round: ${seconds}s, peak RSS $((rss_kb / 1024)) MiB, load1 before $load"
}
measure_pipe() { # NAME ROUND 'LEFT | RIGHT'
    local left=${3%%|*} right=${3#*|}
    PARTS="$work/rss.1 $work/rss.2" measure "$1" "$2" bash -c "set -euo pipefail; rss 1 $left | rss 2 $right"
}

SSH_USER=wpbbench
start_sshd() {
    id "$SSH_USER" >/dev/null 2>&1 || { useradd -m -s /bin/bash "$SSH_USER" 2>/dev/null || true; usermod -p '*' "$SSH_USER"; }
    SSH_HOME=$(getent passwd "$SSH_USER" | cut -d: -f6)
    local d=$work/sshd
    mkdir -p "$d" /run/sshd; chmod 700 "$d"
    ssh-keygen -q -t ed25519 -N '' -f "$d/host_key"
    ssh-keygen -q -t ed25519 -N '' -f "$d/id_ed25519"
    install -d -m 700 -o "$SSH_USER" -g "$SSH_USER" "$SSH_HOME/.ssh"
    SSH_TAG=$(basename "$work")  # own authorized_keys and folder per benchmark, so two can run at once
    install -m 600 -o "$SSH_USER" -g "$SSH_USER" "$d/id_ed25519.pub" "$SSH_HOME/.ssh/authorized_keys.$SSH_TAG"
    SSH_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cat > "$d/sshd_config" <<CFG
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys.$SSH_TAG
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers $SSH_USER
StrictModes yes
UsePAM no
MaxSessions 50
MaxStartups 50
LogLevel ERROR
CFG
    /usr/sbin/sshd -D -f "$d/sshd_config" -E "$d/sshd.log" &
    SSHD_PID=$!
    for _ in $(seq 50); do ssh-keyscan -p "$SSH_PORT" -t ed25519 127.0.0.1 > "$d/known_hosts" 2>/dev/null && [[ -s $d/known_hosts ]] && break; sleep 0.2; done
    SSH_KEY=$d/id_ed25519 KNOWN_HOSTS=$d/known_hosts
    SSH_OPTS="-p $SSH_PORT -i $SSH_KEY -o UserKnownHostsFile=$KNOWN_HOSTS -o StrictHostKeyChecking=yes -o BatchMode=yes"
    SSH_DIR=$SSH_HOME/$SSH_TAG; install -d -o "$SSH_USER" -g "$SSH_USER" "$SSH_DIR"
    export SSH_DIR SSH_TAG SSH_PORT SSH_KEY KNOWN_HOSTS SSH_HOME SSH_OPTS SSH_USER
    ssh $SSH_OPTS "$SSH_USER@127.0.0.1" true
    fact ssh_client "$(ssh -V 2>&1)"
    fact ssh_cipher "$(ssh $SSH_OPTS -v "$SSH_USER@127.0.0.1" true 2>&1 | sed -n 's/.*kex: server->client cipher: \([^ ]*\) MAC: \([^ ]*\).*/\1 \2/p' | head -n1)"
}
stop_sshd() { [[ -z ${SSHD_PID:-} ]] || kill "$SSHD_PID" 2>/dev/null || true; }
