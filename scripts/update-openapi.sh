#!/usr/bin/env bash
# Writes the API's OpenAPI document (as served in Development) to the client package's openapi/v1.json and
# regenerates its types from it. Run it after changing an endpoint or a contract type; OpenApiDocumentTests and
# clients/web/packages/client/test/openapiTypes.test.ts fail until the checked-in copies match.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build src/Api -c Release -p:BuildWebConsole=false -v quiet -nologo >/dev/null
log=$(mktemp)
(cd src/Api && ASPNETCORE_ENVIRONMENT=Development exec dotnet bin/Release/net10.0/Orleans.Agent.Api.dll --urls http://127.0.0.1:0) >"$log" 2>&1 &
api=$!
trap 'kill $api 2>/dev/null; wait $api 2>/dev/null; rm -f "$log"' EXIT

url=""
for _ in $(seq 300); do
  url=$(grep -o 'Now listening on: http://127.0.0.1:[0-9]*' "$log" | head -1 | sed 's/Now listening on: //') || true
  [ -n "$url" ] && break
  kill -0 $api 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "The API did not start within 30 s:" >&2; cat "$log" >&2; exit 1; }

curl -sf "$url/openapi/v1.json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.stringify(JSON.parse(s),null,2)+"\n"))' >clients/web/packages/client/openapi/v1.json
echo "Wrote clients/web/packages/client/openapi/v1.json"
npm --prefix clients/web/packages/client run --silent generate:api
