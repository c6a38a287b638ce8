#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the tests and benchmarks use. Idempotent: when every
# package is already installed it does nothing (no apt-get update), so a warm machine pays
# only a few dpkg-query calls. No system service is started: the tests run their own
# MariaDB and sshd on 127.0.0.1 with private data directories.
set -euo pipefail

packages=(
  mariadb-server mariadb-client   # private test servers (mariadbd, mariadb-install-db, mariadb-dump)
  wordpress php-cli php-mysql     # a real WordPress tree and its own installer
  zstd tar                        # the archive format, and peers in benchmarks
  openssh-server sshpass          # SSH tests and benchmarks
  restic hyperfine                # benchmark peers and runner
  age                             # age/age-keygen: encryption interop tests and benchmark peer
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
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
