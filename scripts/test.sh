#!/usr/bin/env bash
# Runs every test of the repository, from a fresh clone, and prints one summary line at the end.
# Sets up what the tests need first: the .NET SDK pinned in global.json must be present; Debian's redis-server
# (durability tests), openssl (cluster certificates), chromium (the web console's browser tests) and nodejs/npm (the web client) are installed
# if missing, and Azurite (the Azure Storage emulator, pinned in tests/azurite) and the load generator's Node.js baseline from npm. The tests start their own
# redis-server, Azurite and API processes on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=""
# install_if_missing COMMAND PACKAGE... : Debian packages, with sudo when not root.
install_if_missing() {
  local command=$1
  shift
  command -v "$command" >/dev/null 2>&1 && return
  echo "Installing $* (Debian packages)..."
  local sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  if [ -z "$apt_updated" ]; then
    $sudo_cmd apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

install_if_missing redis-server redis-server
install_if_missing openssl openssl # deploy/cluster-certs.sh makes the cluster certificates of the TLS tests
install_if_missing python3 python3 # deploy/local-cluster.sh picks its free ports with it (its Ctrl+C is tested)
install_if_missing jq jq           # the README's walk-through uses it, and a test runs the walk-through
install_if_missing chromium chromium
install_if_missing node nodejs npm
install_if_missing npm npm
# Vite 8 needs Node.js 20.19 or later; say so plainly rather than fail deep inside a build.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "The web client needs Node.js 20.19 or later; this machine has $(node --version). Install a newer nodejs package." >&2
  exit 1
fi

# Azurite, for the tests of the Azure Storage stores: installed into the checkout, never globally.
npm ci --prefix tests/azurite --no-audit --no-fund --loglevel=error
# The load generator's Node.js/Express baseline (bench/NodeBaseline), which its smoke test runs.
npm ci --prefix bench/NodeBaseline --no-audit --no-fund --loglevel=error

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
# Building src/Api also builds the web console into src/Api/wwwroot (src/Api/WebConsole.targets).
dotnet test Orleans.Agent.sln --configuration Release 2>&1 | tee "$log" || status=$?

# The web client: unit tests of the core, store and reconnect policy (Vitest), then the console in Debian's
# Chromium against the API built above (Playwright). Both write JSON reports that the summary counts.
web=clients/web
rm -rf "$web/test-results"
(cd "$web" && npm ci --no-audit --no-fund) || status=$?
(cd "$web" && npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest-results.json) || status=$?
(cd "$web" && npx playwright test) || status=$?

# "Passed!  - Failed:     0, Passed:    27, Skipped:     0, Total:    27, ..." per test project, then one
# "web: P F S" line per web runner.
node "$web/scripts/count-web-results.mjs" "$web/test-results" >>"$log"
awk '/(Passed|Failed)! +- Failed:/ {
        gsub(",", ""); failed += $4; passed += $6; skipped += $8; projects++
     }
     /^web-results: / { passed += $2; failed += $3; skipped += $4; projects++ }
     END { printf "\nTest summary: %d passed, %d failed, %d skipped in %d test projects\n", passed, failed, skipped, projects }' "$log"
exit "$status"
