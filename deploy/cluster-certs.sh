#!/usr/bin/env bash
# A throw-away cluster CA and one certificate per role, for mutual TLS inside the cluster (ClusterTls:*).
#   deploy/cluster-certs.sh DIR [ROLE...]     roles default to: silo api
# Writes DIR/ca.crt + DIR/ca.key (made once; kept if present, so a second run issues new leaves from the same CA:
# a rotation) and DIR/ROLE/{tls.crt,tls.key,ca.crt}, the layout of a mounted Kubernetes TLS Secret.
# Keys are EC P-256, leaves live CERT_DAYS days (default 30). For production, issue them from your own CA (docs/security.md).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR [ROLE...]" >&2; exit 2; }
dir=$1
shift
roles=("$@")
[ ${#roles[@]} -gt 0 ] || roles=(silo api)
days=${CERT_DAYS:-30}
umask 077
mkdir -p "$dir"

if [ ! -f "$dir/ca.key" ]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days $((days * 2)) \
    -subj "/CN=orleans-agent cluster CA $(openssl rand -hex 4)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
fi

for role in "${roles[@]}"; do
  out="$dir/$role"
  mkdir -p "$out"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=orleans-agent-$role" \
    -keyout "$out/tls.key.new" -out "$out/tls.csr" 2>/dev/null
  openssl x509 -req -in "$out/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days "$days" -sha256 -out "$out/tls.crt.new" 2>/dev/null -extfile <(printf '%s\n' \
      "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:orleans-agent-$role")
  rm "$out/tls.csr"
  cp "$dir/ca.crt" "$out/ca.crt"
  # Key first, then certificate: a reader between the two renames sees a mismatch and keeps its previous pair.
  mv "$out/tls.key.new" "$out/tls.key"
  mv "$out/tls.crt.new" "$out/tls.crt"
done
echo "Cluster CA and certificates for: ${roles[*]} in $dir"
