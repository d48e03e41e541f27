# Sourced by bench/gateway/run.sh, memory.sh and vs-oauth2-proxy.sh (from the
# repository root): builds and starts the fixture (upstream on :9001, issuer
# on :9002) and the gateway of gateway.yaml (:8081, trusting 127.0.0.1 for forward-auth). Sets work (a temp dir,
# removed at exit), pids (killed at exit), TOKEN and gwpid.
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk not installed" >&2; exit 1; }
go build -o "$work/fixture" ./bench/gateway/fixture
go build -o "$work/gatehouse" ./cmd/gatehouse
"$work/fixture" > "$work/token" 2>"$work/fixture.log" & pids+=($!)
for _ in $(seq 50); do [ -s "$work/token" ] && break; sleep 0.1; done
TOKEN=$(cat "$work/token")
GATEHOUSE_TRUSTED_PROXIES=127.0.0.1 GATEHOUSE_LOG_LEVEL=warn "$work/gatehouse" gateway --config bench/gateway/gateway.yaml 2>"$work/gateway.log" & pids+=($!)
gwpid=$!
