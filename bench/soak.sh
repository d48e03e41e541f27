#!/usr/bin/env bash
# Soak: a mixed load against one `gatehouse serve` for SOAK_DURATION (10m),
# checking that memory and goroutines stay flat.
#
# Builds the binary and bench/soak, starts the server on 127.0.0.1 (SQLite
# in a temp dir, or DATABASE), and runs bench/soak: client credentials,
# introspection, password sign-ins through the headless login API with the
# code exchange and refresh rotations, and Admin API user writes. Every
# SAMPLE (10s) it records the server's VmRSS (/proc/<pid>/status) and, from
# /metrics, go_goroutines and go_memstats_heap_inuse_bytes. At the end it
# compares the medians of the first and the last minute: memory is flat
# when the last is within 10 % of the first (plus 4 MiB), goroutines when
# within 10 % (plus 5).
#
#   bench/soak.sh                                   # 10 minutes on SQLite
#   SOAK_DURATION=2m bench/soak.sh
#   DATABASE='postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=soak' bench/soak.sh
#   CC=2 INTROSPECT=2 SIGNIN=2 REFRESHES=10 ADMIN=1 bench/soak.sh   # goroutines per kind of load
#
# Needs Go, curl and python3 (to pick a free port); LOG_LEVEL (warn) and
# GATEHOUSE_ARGON2_* are passed to the server; KEEP=1 keeps the temp dir
# (samples.tsv, server.log). For PostgreSQL the database (and the schema
# search_path names) must exist; the server migrates it.
set -euo pipefail
cd "$(dirname "$0")/.."

SOAK_DURATION="${SOAK_DURATION:-10m}"
SAMPLE="${SAMPLE:-10}"
LOG_LEVEL="${LOG_LEVEL:-warn}"

out="$(mktemp -d)"
server_pid=""
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
	fi
	if [ -n "${KEEP:-}" ]; then echo "# kept $out"; else rm -rf "$out"; fi
}
trap cleanup EXIT

go build -o "$out/gatehouse" ./cmd/gatehouse
go build -o "$out/soak" ./bench/soak

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
export GATEHOUSE_ADMIN_TOKEN="soak-admin-token-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
database="${DATABASE:-sqlite:$out/gatehouse.db}"

GATEHOUSE_ADDR="127.0.0.1:$port" GATEHOUSE_ISSUER="$base" \
	GATEHOUSE_DATABASE="$database" GATEHOUSE_DATA_DIR="$out" GATEHOUSE_AUTO_MIGRATE=true \
	GATEHOUSE_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" \
	GATEHOUSE_LOG_LEVEL="$LOG_LEVEL" GATEHOUSE_TRUSTED_PROXIES=127.0.0.1/32 \
	"$out/gatehouse" serve >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 400); do
	curl -fs "$base/readyz" >/dev/null 2>&1 && break
	kill -0 "$server_pid" 2>/dev/null || { cat "$out/server.log"; exit 1; }
	sleep 0.05
done
curl -fs "$base/readyz" >/dev/null

echo "# $(date -u +%Y-%m-%dT%H:%MZ)  $(go version | cut -d' ' -f3-)  commit $(git describe --always --dirty 2>/dev/null || echo unknown)"
echo "# $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# server pid $server_pid on $base, database ${database%%:*}, $SOAK_DURATION, a sample every ${SAMPLE}s"

# sample: seconds since start, VmRSS KiB, goroutines, heap in use bytes.
t0="$(date +%s)"
sample() {
	local rss metrics
	rss="$(awk '/^VmRSS:/{print $2}' "/proc/$server_pid/status")"
	metrics="$(curl -fsS "$base/metrics" 2>/dev/null || true)"
	printf '%s\t%s\t%s\t%s\n' "$(($(date +%s) - t0))" "$rss" \
		"$(awk '$1=="go_goroutines"{print $2}' <<<"$metrics")" \
		"$(awk '$1=="go_memstats_heap_inuse_bytes"{printf "%.0f", $2}' <<<"$metrics")"
}
printf 't_s\trss_kib\tgoroutines\theap_inuse_bytes\n' >"$out/samples.tsv"
(
	while kill -0 "$server_pid" 2>/dev/null; do
		sample >>"$out/samples.tsv"
		sleep "$SAMPLE"
	done
) &
sampler=$!

"$out/soak" -base "$base" -d "$SOAK_DURATION" -cc "${CC:-2}" -introspect "${INTROSPECT:-2}" \
	-signin "${SIGNIN:-2}" -refreshes "${REFRESHES:-10}" -admin "${ADMIN:-1}" | tee "$out/soak.out"
sample >>"$out/samples.tsv" # the end of the load
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
sleep 15
echo "# after 15 s idle: $(sample | awk -F'\t' '{printf "VmRSS %.1f MiB, %d goroutines, heap in use %.1f MiB", $2/1024, $3, $4/1048576}')"
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$out/samples.tsv" <<'EOF'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
rows = [(int(t), int(r), int(g or 0), int(h or 0)) for t, r, g, h in rows]
end = rows[-1][0]
first = [r for r in rows if 0 < r[0] <= 60]  # t=0 is taken as the load starts
last = [r for r in rows if r[0] >= end - 60]
print("samples (t s, VmRSS MiB, goroutines, heap in use MiB):")
print("  " + "  ".join(f"{t}:{r/1024:.0f}/{g}/{h/1048576:.0f}" for t, r, g, h in rows))
ok = True
for i, name, unit, scale, slack in ((1, "VmRSS", "MiB", 1024, 4), (3, "heap in use", "MiB", 1048576, 4), (2, "goroutines", "", 1, 5)):
    a = statistics.median(x[i] for x in first) / scale
    b = statistics.median(x[i] for x in last) / scale
    peak = max(x[i] for x in rows) / scale
    flat = b <= a * 1.10 + slack
    ok = ok and flat
    print(f"{name}: first-minute median {a:.1f}{unit}, last-minute median {b:.1f}{unit} ({100*(b-a)/a:+.1f} %), peak {peak:.1f}{unit}: {'flat' if flat else 'GROWING'}")
print("RESULT soak " + ("flat" if ok else "growth"))
EOF
grep -iE 'level=(warn|error)|"level":"(WARN|ERROR)"' "$out/server.log" | head -5 || true
