#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the tests and benchmarks use. Idempotent: when every
# package is already installed it does nothing (no apt-get update), so a warm machine pays
# only a few dpkg-query calls. No system service is started: the tests run their own
# MariaDB and sshd on 127.0.0.1 with private data directories. Also installs s3rver (npm) into
# .ci/node, out of git, for the S3 storage tests; again only when it is missing.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

packages=(
  mariadb-server mariadb-client   # private test servers (mariadbd, mariadb-install-db, mariadb-dump)
  wordpress php-cli php-mysql     # a real WordPress tree and its own installer
  zstd tar                        # the archive format, and peers in benchmarks
  time                            # GNU /usr/bin/time: elapsed time and peak RSS in benchmarks
  openssh-server sshpass          # SSH tests and benchmarks
  restic hyperfine                # benchmark peers and runner
  age                             # age/age-keygen: encryption interop tests and benchmark peer
  strace                          # the power-loss ordering test reads a backup's fsync/rename calls
)

# Node.js runs s3rver; install Debian's only when no node/npm is on the machine at all
# (a NodeSource build may already provide them).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

install_s3rver() {
  local s3rver_version=3.7.1
  local node_dir="$repo/.ci/node"
  local installed="$node_dir/node_modules/s3rver/package.json"
  if [[ -f "$installed" ]] && grep -q "\"version\": \"$s3rver_version\"" "$installed"; then
    echo "install-deps: s3rver $s3rver_version already in .ci/node"
    return
  fi
  echo "install-deps: installing s3rver $s3rver_version into .ci/node"
  mkdir -p "$node_dir"
  npm install --no-save --no-audit --no-fund --prefix "$node_dir" "s3rver@$s3rver_version"
}

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  install_s3rver
  exit 0
fi
echo "install-deps: installing ${missing[*]}"

sudo=()
if ((EUID != 0)); then sudo=(sudo); fi

# invoke-rc.d and deb-systemd-invoke consult policy-rc.d: exit 101 means "do not start services".
# Put one in place only if none exists, and remove only the one we created.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\n# temporary, from WpBackup .ci/install-deps.sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  created_policy=1
fi
cleanup() { if ((created_policy)); then "${sudo[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"

install_s3rver
