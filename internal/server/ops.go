package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/opsapi"
)

// The operational endpoints: health, readiness and metrics, on the main
// listener or on one of their own (GATEHOUSE_OPS_ADDR).

// MetricsAccess says who may read /metrics: clients whose address is in
// Allow (GATEHOUSE_METRICS_ALLOW, judged after the trusted proxies), and
// anyone with the bearer Token (GATEHOUSE_METRICS_TOKEN; "" is none).
type MetricsAccess struct {
	Allow []netip.Prefix
	Token string
}

// metricsGuard serves next to the clients a allows. An allowed address
// needs nothing more; from elsewhere, a wrong token gets 401 and none 403.
// The token is compared in constant time (as digests, so its length does
// not show either) and never logged.
func metricsGuard(a MetricsAccess, next http.Handler) http.Handler {
	var want [sha256.Size]byte
	if a.Token != "" {
		want = sha256.Sum256([]byte(a.Token))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip, ok := clientip.FromContext(r.Context()); ok && clientip.Contains(a.Allow, ip) {
			next.ServeHTTP(w, r)
			return
		}
		h := r.Header.Get("Authorization")
		if h == "" {
			httpx.WriteProblem(w, r, httpx.Forbidden(
				"Metrics are served to allowed addresses (GATEHOUSE_METRICS_ALLOW) or with the metrics token."))
			return
		}
		scheme, token, _ := strings.Cut(h, " ")
		got := sha256.Sum256([]byte(strings.TrimSpace(token)))
		if a.Token != "" && strings.EqualFold(scheme, "Bearer") && subtle.ConstantTimeCompare(got[:], want[:]) == 1 {
			next.ServeHTTP(w, r)
			return
		}
		httpx.WriteProblem(w, r, httpx.Unauthorized("The metrics token is not valid."))
	})
}

func health(w http.ResponseWriter, _ *http.Request) {
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readiness answers 200 while the database answers.
func readiness(ready Readiness) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := ready.Ready(ctx); err != nil {
			httpx.Log(r.Context()).WarnContext(r.Context(), "not ready", "err", err)
			httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]any{
				"status": "unavailable", "checks": map[string]string{"database": err.Error()}})
			return
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"status": "ok", "checks": map[string]string{"database": "ok"}})
	})
}

// opsHandler serves ops' health, readiness and metrics alone, for the
// operations listener. Its requests are not counted in the metrics.
func opsHandler(ops opsapi.Ops, d Deps) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", ops.Health)
	mux.Handle("GET /readyz", ops.Ready)
	mux.Handle("GET /metrics", ops.Metrics)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteProblem(w, r, httpx.NotFound("The operations listener serves GET /healthz, /readyz and /metrics."))
	})
	return httpx.Chain(mux,
		httpx.RequestIDs,
		d.ClientIP.Middleware,
		httpx.Logging(d.Log),
		httpx.Recover,
		httpx.SecurityHeaders(d.HSTS),
		httpx.KnownMethods,
	)
}

// Listener is a listener and the handler it serves.
type Listener struct {
	Ln      net.Listener
	Handler http.Handler
}

// ServeAll serves every listener until ctx is cancelled or one of them
// fails; then all shut down gracefully (Serve), and the first error is
// returned.
func ServeAll(ctx context.Context, grace time.Duration, log *slog.Logger, ls ...Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(ls))
	for _, l := range ls {
		go func() { errc <- Serve(ctx, l.Ln, l.Handler, grace, log) }()
	}
	var first error
	for range ls {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
		cancel()
	}
	return first
}
