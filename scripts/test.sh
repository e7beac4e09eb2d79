#!/usr/bin/env bash
# Runs every test of the repository, from a fresh clone, and prints one summary line at the end.
# Sets up what the tests need first: the .NET SDK pinned in global.json must be present; redis-server
# (Debian's package) is installed if missing. The tests start their own redis-server on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server (Debian package) for the durability tests..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq redis-server >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
dotnet test Orleans.Agent.sln --configuration Release 2>&1 | tee "$log" || status=$?

# "Passed!  - Failed:     0, Passed:    27, Skipped:     0, Total:    27, ..." per test project.
awk '/(Passed|Failed)! +- Failed:/ {
        gsub(",", ""); failed += $4; passed += $6; skipped += $8; projects++
     }
     END { printf "\nTest summary: %d passed, %d failed, %d skipped in %d test projects\n", passed, failed, skipped, projects }' "$log"
exit "$status"
