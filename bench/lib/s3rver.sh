#!/usr/bin/env bash
# Sourced by bench/lib/s3-inside.sh. start_s3rver DATA_DIR BUCKET: s3rver 3.7.1 (from .ci/node,
# as tests/WpBackup.Tests/S3/S3Fixture.cs starts it) on a free 127.0.0.1 port, credentials
# S3RVER/S3RVER, path-style. Sets S3_PORT, S3_ENDPOINT, S3_PID. stop_s3rver kills it.
# s3rver_cpu: its CPU seconds so far (utime + stime), to tell whether the server is the limit.
# The peer's client is rclone, configured only through RCLONE_CONFIG_S3B_* variables (remote
# `s3b:`), so no file holding the key is ever written.
start_s3rver() {
    local data=$1 bucket=$2 script
    script=$bench_dir/../.ci/node/node_modules/s3rver/bin/s3rver.js
    [[ -f $script ]] || { echo "bench: s3rver is missing ($script): run .ci/install-deps.sh" >&2; return 1; }
    S3_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    mkdir -p "$data"
    # --openssl-legacy-provider: s3rver's ListObjectsV2 continuation tokens use DES (see S3Fixture).
    node --openssl-legacy-provider "$script" -d "$data" -a 127.0.0.1 -p "$S3_PORT" -s --configure-bucket "$bucket" \
        > "$results/logs/s3rver.log" 2>&1 &
    S3_PID=$!
    local _
    for _ in $(seq 150); do
        kill -0 "$S3_PID" 2>/dev/null || { echo "bench: s3rver exited:" >&2; tail -n 20 "$results/logs/s3rver.log" >&2; return 1; }
        (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && break
        sleep 0.2
    done
    S3_ENDPOINT=http://127.0.0.1:$S3_PORT
    export S3_PORT S3_ENDPOINT
    # WpBackup takes the key from the standard AWS variables; nothing from ~/.aws, no EC2 probe.
    export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_EC2_METADATA_DISABLED=true
    export AWS_SHARED_CREDENTIALS_FILE=$work/aws-credentials-none AWS_CONFIG_FILE=$work/aws-config-none
    export RCLONE_CONFIG=/dev/null RCLONE_CONFIG_S3B_TYPE=s3 RCLONE_CONFIG_S3B_PROVIDER=Other \
        RCLONE_CONFIG_S3B_ENDPOINT=$S3_ENDPOINT RCLONE_CONFIG_S3B_REGION=us-east-1 RCLONE_CONFIG_S3B_FORCE_PATH_STYLE=true \
        RCLONE_CONFIG_S3B_ACCESS_KEY_ID=S3RVER RCLONE_CONFIG_S3B_SECRET_ACCESS_KEY=S3RVER
    # rclone 1.60 fails every request with "LoadCustomCABundleError ... unsupported transport"
    # when AWS_CA_BUNDLE is set (as it is on this machine); the server is plain http anyway.
    unset AWS_CA_BUNDLE
}
stop_s3rver() { [[ -z ${S3_PID:-} ]] || { kill "$S3_PID" 2>/dev/null; wait "$S3_PID" 2>/dev/null; } || true; }
s3rver_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$S3_PID/stat"; }
