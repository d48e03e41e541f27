package httpx

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
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

// BenchmarkCleanText: what CleanText adds to the hot requests, each run
// through BodyLimit alone ("off") and BodyLimit with CleanText ("on") to a
// handler that reads the body, as every handler does: a token request
// (form with escapes), an introspection (form without), a JSON body of
// 1 KiB, and a GET with a query.
func BenchmarkCleanText(b *testing.B) {
	token := "grant_type=authorization_code&code=" + strings.Repeat("c", 43) +
		"&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&code_verifier=" + strings.Repeat("v", 64) + "&client_id=web"
	intro := "token=" + strings.Repeat("t", 600) + "&token_type_hint=access_token"
	js := `{"email":"jane@example.com","given_name":"Jane","family_name":"Doe","attributes":{"plan":"pro","note":"` +
		strings.Repeat("x", 900) + `\u00e9\"q\""}}`
	for _, tc := range []struct{ name, method, target, ctype, body string }{
		{"token", "POST", "/oauth/token", "application/x-www-form-urlencoded", token},
		{"introspect", "POST", "/oauth/introspect", "application/x-www-form-urlencoded", intro},
		{"json", "POST", "/admin/v1/users", "application/json", js},
		{"query", "GET", "/login?authRequestID=01936a00-0000-7000-8000-000000000000&ui_locales=de%20en", "", ""},
	} {
		for _, on := range []bool{false, true} {
			mw := []Middleware{BodyLimit(1 << 20)}
			name := tc.name + "/off"
			if on {
				mw, name = append(mw, CleanText), tc.name+"/on"
			}
			h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if _, err := io.Copy(io.Discard, r.Body); err != nil {
					b.Fatal(err)
				}
			}), mw...)
			b.Run(name, func(b *testing.B) {
				req := httptest.NewRequest(tc.method, tc.target, nil)
				if tc.ctype != "" {
					req.Header.Set("Content-Type", tc.ctype)
				}
				body := &reusableBody{}
				rec := httptest.NewRecorder()
				b.ReportAllocs()
				for b.Loop() {
					if tc.body != "" {
						body.Reset(tc.body)
						req.Body, req.ContentLength = body, int64(len(tc.body))
					}
					h.ServeHTTP(rec, req)
				}
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			})
		}
	}
}

// reusableBody is a request body the benchmark rewinds instead of
// allocating one per request.
type reusableBody struct{ strings.Reader }

func (*reusableBody) Close() error { return nil }
