#!/usr/bin/env bash
# Runs one test project (optionally filtered), the whole solution, or the web client's suite (clients/web: Vitest, then
# Playwright in Chromium) N times in a row and prints how many runs passed: the check for a test that depends on timing
# luck. By default every core is kept busy meanwhile (a spinning shell per core, at the same priority as the tests), as
# on a loaded CI machine; --idle leaves them alone. Build first (Release; for clients/web, ./scripts/test.sh once).
#   scripts/repeat.sh 20 tests/Api.Tests --filter StoreFaultTests
#   scripts/repeat.sh --idle 5 Orleans.Agent.sln
#   scripts/repeat.sh 5 clients/web
set -euo pipefail
cd "$(dirname "$0")/.."

busy=1
if [ "${1:-}" = "--idle" ]; then
  busy=""
  shift
fi
if [ $# -lt 2 ]; then
  echo "usage: scripts/repeat.sh [--idle] N <test project> [dotnet test arguments...]" >&2
  exit 2
fi
runs=$1
project=$2
shift 2
extra=("$@")

spinners=()
stop_spinners() { [ ${#spinners[@]} -eq 0 ] || kill "${spinners[@]}" 2>/dev/null || true; }
trap stop_spinners EXIT
if [ -n "$busy" ]; then
  for _ in $(seq "$(nproc)"); do
    sh -c 'while :; do :; done' &
    spinners+=($!)
  done
fi

run_suite() {
  if [ "$project" = "clients/web" ]; then
    (cd clients/web && npx vitest run && npx playwright test)
  else
    dotnet test "$project" --configuration Release --no-build "${extra[@]}"
  fi
}

passed=0
log=$(mktemp -d)
for run in $(seq "$runs"); do
  if run_suite >"$log/run-$run.log" 2>&1; then
    passed=$((passed + 1))
    echo "run $run: passed"
  else
    echo "run $run: FAILED (log: $log/run-$run.log)"
    grep -E "^\s+Failed |Error Message|✘" -A2 "$log/run-$run.log" | head -12 || true
  fi
done
echo "$passed of $runs runs passed${busy:+ with every core busy}"
[ "$passed" -eq "$runs" ]
