#!/usr/bin/env bash
# Is the gateway's memory flat under load? (docs/benchmarks.md §45) wrk drives
# the jwt route of bench/gateway/gateway.yaml for 60 s while the gateway's
# VmRSS is sampled every second; prints the samples and min/max/first/last.
# Usage: bash bench/gateway/memory.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-60}"; CONNS="${2:-32}"
. bench/gateway/common.sh
sleep 1
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8081/billing/x || { cat "$work/gateway.log"; exit 1; }
rss() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg); idle RSS $(rss "$gwpid") kB"
wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8081/billing/x >"$work/wrk.out" & wrkpid=$!
: >"$work/rss"
while kill -0 "$wrkpid" 2>/dev/null; do rss "$gwpid" >>"$work/rss"; sleep 1; done
wait "$wrkpid"
grep -E "Requests/sec|requests in|Non-2xx" "$work/wrk.out" || true
echo "# VmRSS kB, one sample a second:"
paste -sd' ' "$work/rss"
awk 'NR==1{min=$1;first=$1} {if($1<min)min=$1; if($1>max)max=$1; last=$1; n++; if(NR>10){s+=$1;m++}}
  END {printf "# %d samples: min %.1f MiB, max %.1f MiB, first %.1f, last %.1f, mean after 10 s %.1f MiB\n", n, min/1024, max/1024, first/1024, last/1024, (m ? s/m : 0)/1024}' "$work/rss"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
