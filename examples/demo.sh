#!/usr/bin/env bash
# README's main job: a real backup and restore of a real WordPress site, on a throwaway
# MariaDB that is started here and deleted afterwards. Installs the Debian packages it
# needs first (root or sudo), builds, then runs examples/demo.ps1 in the wpbackup host.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
dotnet build WpBackup.sln -c Release --nologo -v quiet
dotnet src/WpBackup.Sandbox/bin/Release/net10.0/WpBackup.Sandbox.dll run -- \
  src/WpBackup.Shell/bin/Release/net10.0/wpbackup -File examples/demo.ps1
