#!/usr/bin/env bash
# The gateway against oauth2-proxy (docs/benchmarks.md §45): both in front of
# the same loopback upstream, both validating the same ES256 bearer JWT of the
# fixture issuer (bench/gateway/fixture) and forwarding to the upstream; wrk
# drives each in turn. Prints req/s, p50/p99 and each proxy's CPU time per
# request (utime+stime from /proc/<pid>/stat over the measured run).
#
# oauth2-proxy is not part of Gatehouse; build it first (nothing of it is
# committed):
#   GOBIN=/tmp/o2p go install github.com/oauth2-proxy/oauth2-proxy/v7@v7.15.6
# Usage: bash bench/gateway/vs-oauth2-proxy.sh [seconds] [connections] [oauth2-proxy binary]
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-10}"; CONNS="${2:-32}"; O2P="${3:-/tmp/o2p/oauth2-proxy}"
[ -x "$O2P" ] || { echo "no oauth2-proxy at $O2P (see the header of this script)" >&2; exit 1; }
. bench/gateway/common.sh
# oauth2-proxy's bearer-JWT mode: the fixture is its OIDC issuer, the token's
# audience an extra audience, any e-mail domain; no browser login is used.
"$O2P" --http-address=127.0.0.1:8095 --provider=oidc --oidc-issuer-url=http://127.0.0.1:9002 \
  --client-id=bench --client-secret=bench --cookie-secret=0123456789abcdef0123456789abcdef --cookie-secure=false \
  --email-domain='*' --upstream=http://127.0.0.1:9001/ --skip-jwt-bearer-tokens \
  --oidc-extra-audience=https://api.example.com/billing \
  --request-logging=false --auth-logging=false --standard-logging=false 2>"$work/o2p.log" & pids+=($!)
o2ppid=$!
sleep 2
for u in http://127.0.0.1:8081/billing/x http://127.0.0.1:8095/x; do
  curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" "$u" || { cat "$work/gateway.log" "$work/o2p.log"; exit 1; }
  [ "$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKEN}x" "$u")" != 200 ] || { echo "$u let a forged token through" >&2; exit 1; }
done

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
run() { # name pid url
  wrk -t2 -c"$CONNS" -d2s -H "Authorization: Bearer $TOKEN" "$3" >/dev/null # warm-up
  local c0 c1 out
  c0=$(ticks "$2")
  out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -H "Authorization: Bearer $TOKEN" "$3")
  c1=$(ticks "$2")
  echo "== $1 (load $(cut -d' ' -f1-3 /proc/loadavg))"
  grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx" <<<"$out" || true
  awk -v c0="$c0" -v c1="$c1" -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "  CPU %.1f s for %d requests: %.1f µs/request, RSS %s\n", (c1-c0)/hz, $1, 1e6*(c1-c0)/hz/$1, rss}' \
    rss="$(awk '/VmRSS/ {print $2 " kB"}' /proc/$2/status)" <<<"$out"
}
echo "# $(nproc) CPUs; wrk -t2 -c$CONNS -d${DUR}s"
run "gateway (jwt)" "$gwpid" http://127.0.0.1:8081/billing/x
run "oauth2-proxy (skip-jwt-bearer-tokens)" "$o2ppid" http://127.0.0.1:8095/x
run "gateway (jwt), again" "$gwpid" http://127.0.0.1:8081/billing/x
run "oauth2-proxy, again" "$o2ppid" http://127.0.0.1:8095/x
