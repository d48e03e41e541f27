#!/usr/bin/env bash
# Startup time and idle memory of `gatehouse serve`.
#
# Builds the binary, creates and migrates a database with one unmeasured
# start, then measures RUNS restarts from exec to the first 200 on /readyz,
# and the resident memory (VmRSS from /proc/<pid>/status) once ready and
# after IDLE of idleness. Needs only Go and Linux (/proc).
#
#   bench/startup.sh                       # SQLite in a temporary directory
#   RUNS=50 IDLE=10s bench/startup.sh
#   DATABASE='postgres://postgres@127.0.0.1:5432/bench?sslmode=disable&search_path=bench' bench/startup.sh
#
# The PostgreSQL database (and schema, when search_path names one) must
# exist; it is migrated on the first start and left in place.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-20}"
IDLE="${IDLE:-5s}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

go build -o "$out/gatehouse" ./cmd/gatehouse
go build -o "$out/startup" ./bench/startup

echo "# $(date -u +%Y-%m-%dT%H:%MZ)  $(go version | cut -d' ' -f3-)  commit $(git describe --always --dirty 2>/dev/null || echo unknown)"
echo "# $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
"$out/startup" -bin "$out/gatehouse" -runs "$RUNS" -idle "$IDLE" ${DATABASE:+-database "$DATABASE"}
