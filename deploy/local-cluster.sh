#!/usr/bin/env bash
# A cluster on this machine, as processes on loopback: redis-server, 2 silos and 2 API nodes (Orleans clients).
#   deploy/local-cluster.sh          start everything, print the URLs, and stop everything on Ctrl+C
# Needs redis-server (scripts/test.sh installs it) and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

echo "Building..."
dotnet build -c Release src/Silo/Silo.csproj >/dev/null
dotnet build -c Release src/Api/Api.csproj >/dev/null
logs=$(mktemp -d)
pids=()
stopped=""
stop() {
  [ -n "$stopped" ] && return
  stopped=1
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Graceful first (silos hand their executions on), then whatever is left after 15 s.
  for _ in $(seq 1 30); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  echo "Stopped. Logs were in $logs"
}
trap stop EXIT
trap 'exit 130' INT TERM

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$logs/redis.log" 2>&1 &
pids+=($!)
common=(--Storage:Redis=127.0.0.1:$redis_port --Silo:Clustering=Redis --Silo:ClusterId=local-cluster)

for i in 1 2; do
  dotnet src/Silo/bin/Release/net10.0/Orleans.Agent.Silo.dll "${common[@]}" \
    --Silo:SiloPort="$(free_port)" --Silo:GatewayPort="$(free_port)" >"$logs/silo$i.log" 2>&1 &
  pids+=($!)
done

urls=()
for i in 1 2; do
  port=$(free_port)
  dotnet src/Api/bin/Release/net10.0/Orleans.Agent.Api.dll "${common[@]}" --Hosting:Mode=Client \
    --environment Development --contentRoot "$PWD/src/Api" --urls "http://127.0.0.1:$port" >"$logs/api$i.log" 2>&1 &
  pids+=($!)
  urls+=("http://127.0.0.1:$port")
done

for url in "${urls[@]}"; do
  for _ in $(seq 1 120); do
    curl -fs "$url/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
done

echo "redis:     127.0.0.1:$redis_port"
echo "API nodes: ${urls[*]}"
echo "Logs:      $logs"
echo "Ready. Any node serves any execution (dev tokens from /api/dev/token work on both). Ctrl+C stops everything."
wait
