#!/usr/bin/env bash
# A cluster on this machine, as processes on loopback: its store, 2 silos and 2 API nodes (Orleans clients).
#   deploy/local-cluster.sh                  start everything, print the URLs, and stop everything on Ctrl+C
#   deploy/local-cluster.sh --tls            locked as deployed: mutual TLS between silos and API nodes (a throw-away CA
#                                            from deploy/cluster-certs.sh) and Redis with deploy/compose.yaml's ACL and a
#                                            random password
#   deploy/local-cluster.sh --storage azure  on Azure Storage (Azurite, the emulator) instead of Redis; with --tls too
#   deploy/local-cluster.sh --no-build       without building first (the Release builds of src/Silo and src/Api are there)
# Ctrl+C stops the API nodes, then the silos, then the store, each gracefully, in a few seconds.
# Needs redis-server or Azurite (scripts/test.sh installs both), python3, openssl for --tls, and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
tls=""
build=1
storage=redis
while [ $# -gt 0 ]; do
  case "$1" in
    --tls) tls=1 ;;
    --no-build) build="" ;;
    --storage)
      storage="${2:-}"
      shift
      [ "$storage" = redis ] || [ "$storage" = azure ] || { echo "--storage takes redis or azure" >&2; exit 2; }
      ;;
    *) echo "usage: $0 [--tls] [--storage redis|azure] [--no-build]" >&2; exit 2 ;;
  esac
  shift
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

if [ -n "$build" ]; then
  echo "Building..."
  dotnet build -c Release src/Silo/Silo.csproj >/dev/null
  dotnet build -c Release src/Api/Api.csproj >/dev/null
fi
logs=$(mktemp -d)
# Each process in a session of its own (setsid), so that Ctrl+C, which the terminal sends to its whole foreground
# group, reaches only this script, which then stops them in order: the API nodes, then the silos (which leave the
# cluster through the store), then the store.
store_pids=()
silo_pids=()
api_pids=()
start() { setsid "$@" & }
stopped=""
# stop_all NAME SECONDS PID...: SIGTERM, then kill -9 for any still alive after SECONDS (said, never silent).
stop_all() {
  local name=$1 seconds=$2
  shift 2
  [ $# -eq 0 ] && return 0
  kill "$@" 2>/dev/null || true
  for _ in $(seq 1 $((seconds * 10))); do
    local alive=0
    for pid in "$@"; do if kill -0 "$pid" 2>/dev/null; then alive=1; fi; done
    [ "$alive" = 0 ] && return 0 # (a bare return in a trap would return the status that triggered it)
    sleep 0.1
  done
  echo "Forced (kill -9): $name still running after $seconds s" >&2
  kill -9 "$@" 2>/dev/null || true
}
stop() {
  [ -n "$stopped" ] && return 0
  stopped=1
  local began=$SECONDS
  echo "Stopping the API nodes, then the silos, then the store..."
  stop_all "API nodes" 10 "${api_pids[@]}"
  stop_all "silos" 20 "${silo_pids[@]}"
  stop_all "store" 10 "${store_pids[@]}"
  echo "Stopped in $((SECONDS - began)) s. Logs were in $logs"
}
trap stop EXIT
trap 'exit 130' INT TERM

# The ClusterId starts with orleans-agent so that the deployed ACL's key pattern covers the cluster's directory.
common=(--Silo:ClusterId=orleans-agent-local)
silo_tls=()
api_tls=()
if [ -n "$tls" ]; then
  deploy/cluster-certs.sh "$logs/certs" >/dev/null
  tls_files() { echo "--ClusterTls:Enabled=true --ClusterTls:CertificateFile=$logs/certs/$1/tls.crt --ClusterTls:KeyFile=$logs/certs/$1/tls.key --ClusterTls:CaFile=$logs/certs/ca.crt"; }
  read -ra silo_tls <<<"$(tls_files silo)"
  read -ra api_tls <<<"$(tls_files api)"
fi

if [ "$storage" = azure ]; then
  [ -f tests/azurite/node_modules/azurite/dist/src/azurite.js ] || npm ci --prefix tests/azurite --no-audit --no-fund --loglevel=error
  blob_port=$(free_port)
  table_port=$(free_port)
  mkdir -p "$logs/azurite"
  start node tests/azurite/node_modules/azurite/dist/src/azurite.js --silent --skipApiVersionCheck --disableTelemetry \
    --location "$logs/azurite" --blobPort "$blob_port" --tablePort "$table_port" --queuePort "$(free_port)" >"$logs/azurite.log" 2>&1
  store_pids+=($!)
  common+=(--Silo:Clustering=AzureStorage)
  # Azurite's one account and its published key (not a secret); in the environment, not on command lines that ps shows.
  export Storage__Provider=AzureStorage
  export Storage__AzureStorage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
  for _ in $(seq 1 60); do
    (exec 3<>"/dev/tcp/127.0.0.1/$table_port") 2>/dev/null && break
    sleep 0.5
  done
  store_line="azurite:   tables 127.0.0.1:$table_port, blobs 127.0.0.1:$blob_port (data in $logs/azurite)"
else
  redis_port=$(free_port)
  common+=(--Silo:Clustering=Redis)
  export Storage__Redis="127.0.0.1:$redis_port" # in the environment, not on command lines that ps shows
  acl=()
  if [ -n "$tls" ]; then
    password=$(openssl rand -hex 24)
    grep -E '^ +user ' deploy/compose.yaml | sed -e 's/^ *//' -e "s/\${REDIS_PASSWORD:?[^}]*}/$password/" >"$logs/users.acl"
    acl=(--aclfile "$logs/users.acl")
    Storage__Redis="$Storage__Redis,user=orleans-agent,password=$password"
  fi
  start redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no "${acl[@]}" >"$logs/redis.log" 2>&1
  store_pids+=($!)
  store_line="redis:     127.0.0.1:$redis_port${tls:+ (ACL user orleans-agent; its password is in $logs/users.acl)}"
fi

silo_metrics=()
for i in 1 2; do
  metrics_port=$(free_port)
  # Dashboard on: the API nodes (Development) serve it at /dashboard, and every silo must feed it.
  start dotnet src/Silo/bin/Release/net10.0/Orleans.Agent.Silo.dll "${common[@]}" "${silo_tls[@]}" \
    --Silo:SiloPort="$(free_port)" --Silo:GatewayPort="$(free_port)" --Metrics:Port="$metrics_port" --Dashboard:Enabled=true \
    >"$logs/silo$i.log" 2>&1
  silo_pids+=($!)
  silo_metrics+=("http://127.0.0.1:$metrics_port/metrics")
done

# The API nodes after the silos have started (each logs its summary line once it has joined): a client started first
# waits for a gateway and says so with a warning.
for i in 1 2; do
  for _ in $(seq 1 240); do
    grep -q "Orleans.Agent silo: " "$logs/silo$i.log" && break
    kill -0 "${silo_pids[$((i - 1))]}" 2>/dev/null || { echo "silo $i exited at start; its log:" >&2; cat "$logs/silo$i.log" >&2; exit 1; }
    sleep 0.5
  done
done

urls=()
for i in 1 2; do
  port=$(free_port)
  start dotnet src/Api/bin/Release/net10.0/Orleans.Agent.Api.dll "${common[@]}" "${api_tls[@]}" --Hosting:Mode=Client \
    --environment Development --contentRoot "$PWD/src/Api" --urls "http://127.0.0.1:$port" >"$logs/api$i.log" 2>&1
  api_pids+=($!)
  urls+=("http://127.0.0.1:$port")
done

for url in "${urls[@]}"; do
  for _ in $(seq 1 120); do
    curl -fs "$url/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
done

echo "$store_line"
[ -n "$tls" ] && echo "TLS:       silos and API nodes talk mutual TLS; certificates and the throw-away CA in $logs/certs"
echo "API nodes: ${urls[*]} (each serves /metrics and /dashboard)"
echo "Silos:     ${silo_metrics[*]}"
echo "Logs:      $logs"
echo "Processes: ${api_pids[*]} ${silo_pids[*]} ${store_pids[*]}"
echo "Ready. Any node serves any execution (dev tokens from /api/dev/token work on both). Ctrl+C stops everything."
wait
