#!/usr/bin/env bash
# Load scenarios for the hot endpoints of `gatehouse serve` on SQLite.
#
# Builds the binary and bench/flow, starts the server on 127.0.0.1 with a
# fresh data directory, registers a confidential client_credentials client
# through the Admin API, then runs each scenario while sampling the
# server's CPU time (utime+stime from /proc/<pid>/stat) and resident memory
# (VmRSS, every second). wrk's own CPU time and the rest of the machine's
# are reported too: on a 2-CPU machine the load generator competes with
# the server.
#
#   bench/run.sh                          # cc introspect jwks argon2 signin flow
#   bench/run.sh cc                       # one or more scenarios
#   CONNS=64 THREADS=2 CC_DURATION=60s DURATION=20s bench/run.sh cc introspect
#
# Scenarios:
#   cc          client_credentials grant, JWT access token (CC_DURATION, the
#               memory-flatness run: 60 s by default)
#   introspect  RFC 7662 introspection of a JWT access token (DURATION)
#   jwks        GET /keys (DURATION); jwks304 revalidates with If-None-Match
#   argon2      raw argon2id verify loop at the configured cost (no server work)
#   signin      authorize + password sign-in of returning users (FLOW_CONC
#               at once, FLOW_DURATION), after signin_first: every user's
#               first sign-in (no history, no device cookie yet)
#   flow        full authorization-code flow with consent, then first-party
#   ratio       signin while the argon2 loop (GOMAXPROCS goroutines, like the
#               server's hasher) runs in its own process: both see the same
#               machine, so the loop's CPU per verify over the server's CPU
#               per sign-in holds on a shared machine, where runs minutes
#               apart do not (the loop's own CPU shows in the load generator's
#               or the other processes' share, whichever it ends in)
#
# The sign-in scenarios run as production does, with the risk engine and
# every sign-in limit on: bench/flow creates FLOW_USERS users (500), each
# with a public address of its own sent through X-Forwarded-For (the
# server trusts the loopback proxy, GATEHOUSE_TRUSTED_PROXIES) and a
# browser that keeps its device cookie; each user signs in at most once
# every FLOW_PAUSE (4s), well within the per-IP limit.
#
# Needs Go, wrk, curl, jq, python3 and Linux /proc. LOG_LEVEL (default warn) and
# GATEHOUSE_ARGON2_* are passed to the server; KEEP=1 keeps the temp dir.
# PROFILE=dir runs bench/pprofserve (the same server plus net/http/pprof on
# loopback) and saves a CPU profile of each measured run as dir/NAME.pprof.
set -euo pipefail
cd "$(dirname "$0")/.."

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(cc introspect jwks argon2 signin flow)
CONNS="${CONNS:-64}"
THREADS="${THREADS:-2}"
CC_DURATION="${CC_DURATION:-60s}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-3s}"
FLOW_CONC="${FLOW_CONC:-8}"
FLOW_DURATION="${FLOW_DURATION:-20s}"
FLOW_USERS="${FLOW_USERS:-500}"
FLOW_PAUSE="${FLOW_PAUSE:-4s}"
LOG_LEVEL="${LOG_LEVEL:-warn}"
ARGON2_M="${GATEHOUSE_ARGON2_MEMORY_KIB:-19456}"
ARGON2_T="${GATEHOUSE_ARGON2_TIME:-2}"
ARGON2_P="${GATEHOUSE_ARGON2_THREADS:-1}"

out="$(mktemp -d)"
server_pid=""
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
	fi
	if [ -n "${KEEP:-}" ]; then echo "# kept $out"; else rm -rf "$out"; fi
}
trap cleanup EXIT

if [ -n "${PROFILE:-}" ]; then
	mkdir -p "$PROFILE"
	go build -o "$out/gatehouse" ./bench/pprofserve
	cp "$out/gatehouse" "$PROFILE/gatehouse.bin"
	pprof_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
	export GATEHOUSE_PPROF_ADDR="127.0.0.1:$pprof_port"
else
	go build -o "$out/gatehouse" ./cmd/gatehouse
fi
go build -o "$out/flow" ./bench/flow

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
admin_token="bench-admin-token-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export GATEHOUSE_ADMIN_TOKEN="$admin_token"

GATEHOUSE_ADDR="127.0.0.1:$port" GATEHOUSE_ISSUER="$base" \
	GATEHOUSE_DATABASE="sqlite:$out/gatehouse.db" GATEHOUSE_DATA_DIR="$out" \
	GATEHOUSE_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" \
	GATEHOUSE_LOG_LEVEL="$LOG_LEVEL" GATEHOUSE_ARGON2_MEMORY_KIB="$ARGON2_M" \
	GATEHOUSE_ARGON2_TIME="$ARGON2_T" GATEHOUSE_ARGON2_THREADS="$ARGON2_P" \
	GATEHOUSE_TRUSTED_PROXIES=127.0.0.1/32 \
	"$out/gatehouse" serve >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 200); do
	curl -fs "$base/readyz" >/dev/null 2>&1 && break
	kill -0 "$server_pid" 2>/dev/null || { cat "$out/server.log"; exit 1; }
	sleep 0.05
done
curl -fs "$base/readyz" >/dev/null

clk_tck="$(getconf CLK_TCK)"
echo "# $(date -u +%Y-%m-%dT%H:%MZ)  $(go version | cut -d' ' -f3-)  commit $(git describe --always --dirty 2>/dev/null || echo unknown)"
echo "# $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# server pid $server_pid on $base, SQLite in $out, log level $LOG_LEVEL; wrk -t$THREADS -c$CONNS"

# Admin API: a confidential client_credentials client (client_secret_basic).
client_json="$(curl -fsS -X POST "$base/admin/v1/clients" -H "Authorization: Bearer $admin_token" \
	-H 'Content-Type: application/json' \
	-d '{"client_name":"bench","grant_types":["client_credentials"],"scope":"read write"}')"
export CLIENT_ID CLIENT_SECRET
CLIENT_ID="$(jq -r .client_id <<<"$client_json")"
CLIENT_SECRET="$(jq -r .client_secret <<<"$client_json")"

new_token() {
	curl -fsS -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "$base/oauth/token" | jq -r .access_token
}

proc_cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
machine_ticks() { awk '/^cpu /{busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6}' /proc/stat; }
rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }

# measure NAME CMD...: runs CMD (wrk or the flow driver) and prints its
# RESULT line with the server's CPU and RSS and the load generator's CPU.
measure() {
	local name="$1"; shift
	local rss_file="$out/$name.rss"
	: >"$rss_file"
	(while kill -0 "$server_pid" 2>/dev/null; do rss_kib "$server_pid" >>"$rss_file"; sleep 1; done) &
	local sampler=$!
	local cpu0 m0 t0 cpu1 m1 t1
	cpu0="$(proc_cpu_ticks "$server_pid")"; m0="$(machine_ticks)"; t0="$(date +%s.%N)"
	local TIMEFORMAT='%U %S' profiler=""
	if [ -n "${PROFILE:-}" ]; then
		local secs="${PROFILE_SECONDS:-10}"
		(sleep 1; curl -fsS -o "$PROFILE/$name.pprof" "http://$GATEHOUSE_PPROF_ADDR/debug/pprof/profile?seconds=$secs") &
		profiler=$!
	fi
	{ time "$@" >"$out/$name.out" 2>"$out/$name.err"; } 2>"$out/$name.time" || { cat "$out/$name.err"; kill "$sampler"; return 1; }
	cpu1="$(proc_cpu_ticks "$server_pid")"; m1="$(machine_ticks)"; t1="$(date +%s.%N)"
	kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
	[ -z "$profiler" ] || wait "$profiler" || true
	rss_kib "$server_pid" >>"$rss_file"
	local result
	result="$(grep '^RESULT' "$out/$name.out" || true)"
	[ -n "$result" ] || { cat "$out/$name.out" "$out/$name.err"; return 1; }
	awk -v name="$name" -v result="$result" -v cpu0="$cpu0" -v cpu1="$cpu1" -v t0="$t0" -v t1="$t1" \
		-v m0="$m0" -v m1="$m1" -v tck="$clk_tck" -v gen="$(cat "$out/$name.time")" -v ncpu="$(nproc)" '
		BEGIN { min = -1 }
		{ if (min < 0 || $1 < min) min = $1; if ($1 > max) max = $1; n++; if (n == 1) first = $1; last = $1 }
		END {
			wall = t1 - t0
			split(m0, a, " "); split(m1, b, " "); split(gen, g, " ")
			server = (cpu1 - cpu0) / tck
			loadgen = g[1] + g[2]
			machine = (b[1] - a[1]) / tck
			other = machine - server - loadgen; if (other < 0) other = 0
			match(result, /requests=[0-9]+|verifies=[0-9]+|signins=[0-9]+|flows=[0-9]+/)
			split(substr(result, RSTART, RLENGTH), r, "=")
			print result
			printf "  %s: wall %.1fs  server CPU %.0f%% (%.1f µs/op)  load generator CPU %.0f%%  other processes %.0f%%  idle %.0f%% (of %d CPUs = %d%%)\n",
				name, wall, 100*server/wall, (r[2] > 0 ? 1e6*server/r[2] : 0), 100*loadgen/wall, 100*other/wall,
				100*((b[2]-a[2]) - (b[1]-a[1]))/tck/wall, ncpu, 100*ncpu
			printf "  %s: server VmRSS min %.1f MiB  max %.1f MiB  first %.1f  last %.1f  (%d samples, 1/s)\n",
				name, min/1024, max/1024, first/1024, last/1024, n
		}' "$rss_file"
}

wrk_run() { # wrk_run NAME DURATION SCRIPT PATH
	wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "bench/$3" "$base$4" >/dev/null # warm-up, not measured
	measure "$1" wrk -t"$THREADS" -c"$CONNS" -d"$2" --latency -s "bench/$3" "$base$4"
}

flow_args=(-base "$base" -argon2-m "$ARGON2_M" -argon2-t "$ARGON2_T" -argon2-p "$ARGON2_P")
people="$out/population.json"
flow_run() { # flow_run NAME MODE: a measured run of bench/flow by the population
	measure "$1" "$out/flow" "${flow_args[@]}" -population "$people" -pid "$server_pid" -mode "$2" \
		-c "$FLOW_CONC" -d "$FLOW_DURATION" -pause "$FLOW_PAUSE"
}
# population: the users of the sign-in scenarios, created (not measured)
# and signed in once each (measured as signin_first) the first time a
# scenario needs them.
population() {
	[ ! -e "$people" ] || return 0
	"$out/flow" "${flow_args[@]}" -population "$people" -mode setup -users "$FLOW_USERS"
	measure signin_first "$out/flow" "${flow_args[@]}" -population "$people" -pid "$server_pid" -mode first -c "$FLOW_CONC"
}
for s in "${scenarios[@]}"; do
	case "$s" in
	cc) wrk_run client_credentials "$CC_DURATION" client_credentials.lua /oauth/token ;;
	introspect) TOKEN="$(new_token)" wrk_run introspect "$DURATION" introspect.lua /oauth/introspect ;;
	jwks) wrk_run jwks "$DURATION" jwks.lua /keys ;;
	jwks304)
		etag="$(curl -fsSI "$base/keys" | awk 'tolower($1)=="etag:"{print $2}' | tr -d '\r')"
		ETAG="$etag" wrk_run jwks304 "$DURATION" jwks.lua /keys ;;
	argon2) measure argon2 "$out/flow" "${flow_args[@]}" -mode argon2 -c 0 -d "$FLOW_DURATION" ;;
	signin)
		population
		flow_run signin signin ;;
	flow)
		population
		flow_run flow_consent consent
		flow_run flow_firstparty firstparty ;;
	ratio)
		population
		"$out/flow" "${flow_args[@]}" -mode argon2 -c 0 -d "$FLOW_DURATION" >"$out/ratio_argon2.out" 2>&1 &
		loop=$!
		flow_run ratio signin
		wait "$loop" || { cat "$out/ratio_argon2.out"; exit 1; }
		argon2="$(grep '^RESULT' "$out/ratio_argon2.out")"
		echo "$argon2"
		awk -v a="$argon2" -v s="$(grep '^RESULT' "$out/ratio.out")" 'BEGIN {
			match(a, /cpu_ms_per_op=[0-9.]+/); split(substr(a, RSTART, RLENGTH), x, "=")
			match(s, /server_cpu_ms_per_op=[0-9.]+/); split(substr(s, RSTART, RLENGTH), y, "=")
			printf "  ratio: argon2id CPU per verify %.2f ms / server CPU per sign-in %.2f ms = %.3f (same period)\n", x[2], y[2], x[2] / y[2]
		}' ;;
	*) echo "unknown scenario $s" >&2; exit 2 ;;
	esac
done
grep -iE 'level=(warn|error)|"level":"(WARN|ERROR)"' "$out/server.log" | head -5 || true
