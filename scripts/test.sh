#!/usr/bin/env bash
# Runs every test of the repository, from a fresh clone, and prints one summary line at the end.
# Everything the tests need is set up here (today: only the .NET SDK pinned in global.json).
set -euo pipefail
cd "$(dirname "$0")/.."

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
