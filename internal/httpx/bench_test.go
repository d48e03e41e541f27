package httpx

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// benchChain is the middleware stack internal/server mounts, around a
// handler that only records its route and writes a small body: what every
// request pays before and after the endpoint's own work.
func benchChain(log *slog.Logger) http.Handler {
	m := NewMetrics(prometheus.NewRegistry())
	body := []byte(`{"ok":true}`)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetRoute(r.Context(), "GET /keys")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	return Chain(h, RequestIDs, Logging(log), m.Observe, Recover, SecurityHeaders(false), BodyLimit(1<<20))
}

func benchServe(b *testing.B, h http.Handler, requestID string) {
	req := httptest.NewRequest("GET", "/keys", nil)
	if requestID != "" {
		req.Header.Set("X-Request-ID", requestID)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkMiddleware: access log below the level (warn), as in bench/run.sh.
func BenchmarkMiddleware(b *testing.B) {
	benchServe(b, benchChain(NewLogger(io.Discard, "text", slog.LevelWarn)), "")
}

// BenchmarkMiddlewareInboundID: the client sends its own X-Request-ID.
func BenchmarkMiddlewareInboundID(b *testing.B) {
	benchServe(b, benchChain(NewLogger(io.Discard, "text", slog.LevelWarn)), "0f8e2a1c-5b7d-4e3f-9a6b-1c2d3e4f5a6b")
}

// BenchmarkMiddlewareAccessLog: every request logged at info, in each
// format, to a writer that discards (formatting cost only, no write(2)).
func BenchmarkMiddlewareAccessLog(b *testing.B) {
	for _, format := range []string{"text", "json"} {
		b.Run(format, func(b *testing.B) {
			benchServe(b, benchChain(NewLogger(io.Discard, format, slog.LevelInfo)), "")
		})
	}
}
