#!/usr/bin/env bash
# A cluster on this machine, as processes on loopback: its store, 2 silos and 2 API nodes (Orleans clients).
#   deploy/local-cluster.sh                  start everything, print the URLs, and stop everything on Ctrl+C
#   deploy/local-cluster.sh --tls            locked as deployed: mutual TLS between silos and API nodes (a throw-away CA
#                                            from deploy/cluster-certs.sh) and Redis with deploy/compose.yaml's ACL and a
#                                            random password
#   deploy/local-cluster.sh --storage azure  on Azure Storage (Azurite, the emulator) instead of Redis; with --tls too
# Needs redis-server or Azurite (scripts/test.sh installs both), openssl for --tls, and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
tls=""
storage=redis
while [ $# -gt 0 ]; do
  case "$1" in
    --tls) tls=1 ;;
    --storage)
      storage="${2:-}"
      shift
      [ "$storage" = redis ] || [ "$storage" = azure ] || { echo "--storage takes redis or azure" >&2; exit 2; }
      ;;
    *) echo "usage: $0 [--tls] [--storage redis|azure]" >&2; exit 2 ;;
  esac
  shift
done

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
  node tests/azurite/node_modules/azurite/dist/src/azurite.js --silent --skipApiVersionCheck --disableTelemetry \
    --location "$logs/azurite" --blobPort "$blob_port" --tablePort "$table_port" --queuePort "$(free_port)" >"$logs/azurite.log" 2>&1 &
  pids+=($!)
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
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no "${acl[@]}" >"$logs/redis.log" 2>&1 &
  pids+=($!)
  store_line="redis:     127.0.0.1:$redis_port${tls:+ (ACL user orleans-agent; its password is in $logs/users.acl)}"
fi

silo_metrics=()
for i in 1 2; do
  metrics_port=$(free_port)
  # Dashboard on: the API nodes (Development) serve it at /dashboard, and every silo must feed it.
  dotnet src/Silo/bin/Release/net10.0/Orleans.Agent.Silo.dll "${common[@]}" "${silo_tls[@]}" \
    --Silo:SiloPort="$(free_port)" --Silo:GatewayPort="$(free_port)" --Metrics:Port="$metrics_port" --Dashboard:Enabled=true \
    >"$logs/silo$i.log" 2>&1 &
  pids+=($!)
  silo_metrics+=("http://127.0.0.1:$metrics_port/metrics")
done

urls=()
for i in 1 2; do
  port=$(free_port)
  dotnet src/Api/bin/Release/net10.0/Orleans.Agent.Api.dll "${common[@]}" "${api_tls[@]}" --Hosting:Mode=Client \
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

echo "$store_line"
[ -n "$tls" ] && echo "TLS:       silos and API nodes talk mutual TLS; certificates and the throw-away CA in $logs/certs"
echo "API nodes: ${urls[*]} (each serves /metrics and /dashboard)"
echo "Silos:     ${silo_metrics[*]}"
echo "Logs:      $logs"
echo "Ready. Any node serves any execution (dev tokens from /api/dev/token work on both). Ctrl+C stops everything."
wait
