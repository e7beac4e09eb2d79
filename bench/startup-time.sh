#!/usr/bin/env bash
# Time from process start to /health/ready for a build of the API (Production, memory store, its own loopback ports),
# and its resident memory then. Usage: bench/startup-time.sh [DIR-WITH-Orleans.Agent.Api.dll] [CORES] [KEY=VALUE...]
#   bench/startup-time.sh                                        # the Release build output, pinned to core 0
#   bench/startup-time.sh /tmp/r2r 0,1 DOTNET_TieredPGO=0        # a publish output, on two cores, with a variable
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/src/Api/bin/Release/net10.0}
cores=${2:-0}
shift $(($# > 2 ? 2 : $#))
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port) silo=$(free_port) gateway=$(free_port)
start=$(date +%s%N)
env "$@" ASPNETCORE_ENVIRONMENT=Production taskset -c "$cores" dotnet "$dir/Orleans.Agent.Api.dll" --urls "http://127.0.0.1:$port" \
  --contentRoot "$root/src/Api" --Auth:SigningKey=startup-time-signing-key-0123456789abcdef \
  --Silo:SiloPort="$silo" --Silo:GatewayPort="$gateway" --Logging:LogLevel:Default=Warning >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
deadline=$((start + 60000000000))
until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
  [ "$(date +%s%N)" -lt "$deadline" ] && kill -0 $pid 2>/dev/null || { echo "not ready within 60 s" >&2; exit 1; }
  sleep 0.02
done
ready=$(date +%s%N)
echo "ready in $(( (ready - start) / 1000000 )) ms, resident $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
