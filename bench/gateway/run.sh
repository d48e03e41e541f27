#!/usr/bin/env bash
# Gateway throughput and latency with wrk on loopback (docs/benchmarks.md §33):
#   upstream alone | gateway (jwt) in front | nginx proxy_pass alone | nginx auth_request to /forward-auth
# Usage: bash bench/gateway/run.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-10}"; CONNS="${2:-32}"
. bench/gateway/common.sh
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [ -x "$nginx_bin" ]; then
  mkdir -p "$work"/{body,proxy,fastcgi,uwsgi,scgi}; chmod 777 "$work" "$work"/*
  sed "s#DIR#$work#g" bench/gateway/nginx.conf > "$work/nginx.conf"
  "$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" -g "daemon off; pid $work/nginx.pid;" & pids+=($!)
fi
sleep 1
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8081/billing/x || { cat "$work/gateway.log"; exit 1; }

run() { # name url
  echo "== $1"
  wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -H "Authorization: Bearer $TOKEN" "$2" | grep -E "Requests/sec|50%|99%|Non-2xx" || true
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run "upstream alone" http://127.0.0.1:9001/x
run "gateway jwt" http://127.0.0.1:8081/billing/x
if [ -x "$nginx_bin" ]; then
  run "nginx proxy_pass" http://127.0.0.1:8090/x
  run "nginx auth_request -> /forward-auth" http://127.0.0.1:8091/billing/x
fi
echo "gateway RSS after: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$gwpid/status)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
