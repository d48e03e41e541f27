package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	stateKey
)

// reqState is what the middleware records about a request. It is one
// context value, added by the first middleware that needs it, so the chain
// copies the request once rather than once per middleware.
type reqState struct {
	id    string       // RequestIDs
	log   *slog.Logger // Logging
	route string       // SetRoute, for Observe
	sw    statusWriter // Observe
}

func stateFrom(ctx context.Context) *reqState {
	st, _ := ctx.Value(stateKey).(*reqState)
	return st
}

// withState returns r carrying a request state, and the state: r's own if
// it has one whose field named by free is still unset, else a new one (a
// copy of r's, so a nested middleware does not change what outer ones see).
func withState(r *http.Request, free func(*reqState) bool) (*http.Request, *reqState) {
	old := stateFrom(r.Context())
	if old != nil && free(old) {
		return r, old
	}
	st := &reqState{}
	if old != nil {
		st.id, st.log = old.id, old.log
	}
	return r.WithContext(context.WithValue(r.Context(), stateKey, st)), st
}

// SetRoute records the matched route for metrics and logs. Routers call it;
// Observe reads it, since handlers below may see a copied *http.Request.
func SetRoute(ctx context.Context, route string) {
	if st := stateFrom(ctx); st != nil {
		st.route = route
	}
}

// Route returns the route of the request ctx belongs to, once Observe has
// served it ("" before, or for an unmatched request): middleware outside
// Observe (tracing) names the request by it.
func Route(ctx context.Context) string {
	if st := stateFrom(ctx); st != nil {
		return st.route
	}
	return ""
}

// RequestID returns the request ID carried by ctx, or "".
func RequestID(ctx context.Context) string {
	if id, ok := ctx.Value(requestIDKey).(string); ok {
		return id
	}
	if st := stateFrom(ctx); st != nil {
		return st.id
	}
	return ""
}

// WithRequestID returns ctx carrying id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// validRequestID accepts inbound request IDs only in a safe shape
// (^[A-Za-z0-9._-]{8,64}$), so they cannot inject into logs or headers.
func validRequestID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// Request IDs are a random per-process prefix and a counter: unique
// without a call to the random source per request. They correlate log
// lines; they are not secrets.
var (
	requestIDPrefix = func() string {
		var b [6]byte
		_, _ = rand.Read(b[:])
		return hex.EncodeToString(b[:])
	}()
	requestIDCount atomic.Uint64
)

func newRequestID() string {
	const digits = "0123456789abcdef"
	var b [24]byte
	copy(b[:], requestIDPrefix)
	n := requestIDCount.Add(1)
	for i := len(b) - 1; i >= len(requestIDPrefix); i-- {
		b[i] = digits[n&0xf]
		n >>= 4
	}
	return string(b[:])
}

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies ms so that the first is outermost.
func Chain(h http.Handler, ms ...Middleware) http.Handler {
	for i := len(ms) - 1; i >= 0; i-- {
		h = ms[i](h)
	}
	return h
}

// RequestIDs assigns each request an ID (reusing a well-formed inbound
// X-Request-ID), puts it in the context for logs and echoes it in the response.
func RequestIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header()["X-Request-Id"] = []string{id} // canonical key: Set without the canonicalising
		r, st := withState(r, func(st *reqState) bool { return st.id == "" })
		st.id = id
		next.ServeHTTP(w, r)
	})
}

// SecurityHeaders sets conservative defaults; pages that need a looser
// policy (the docs page) override Content-Security-Policy themselves.
func SecurityHeaders(hsts bool) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// As h.Set for each, with the keys already canonical and the
			// values in one allocation; each slice is capped at its one
			// value, so a later h.Add cannot write over the next one.
			v := [...]string{"nosniff", "DENY", "no-referrer", "same-origin",
				"default-src 'none'; frame-ancestors 'none'", "max-age=63072000; includeSubDomains"}
			h := w.Header()
			h["X-Content-Type-Options"] = v[0:1:1]
			h["X-Frame-Options"] = v[1:2:2]
			h["Referrer-Policy"] = v[2:3:3]
			h["Cross-Origin-Opener-Policy"] = v[3:4:4]
			h["Content-Security-Policy"] = v[4:5:5]
			if hsts {
				h["Strict-Transport-Security"] = v[5:6:6]
			}
			next.ServeHTTP(w, r)
		})
	}
}

// NoStore forbids every cache (browser, proxy, HTTP client library) to
// keep the response: it carries a secret or a one-time code. Pragma is for
// HTTP/1.0 caches, which ignore Cache-Control.
func NoStore(h http.Header) {
	h["Cache-Control"] = []string{"no-store"}
	h["Pragma"] = []string{"no-cache"}
}

// BodyLimit caps request bodies; reading past the cap fails with
// *http.MaxBytesError, which handlers map to 413.
func BodyLimit(n int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				WriteProblem(w, r, PayloadTooLarge(n))
				return
			}
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// PayloadTooLarge is the 413 problem for a body over n bytes.
func PayloadTooLarge(n int64) *Problem {
	return NewProblem(http.StatusRequestEntityTooLarge, TypePayloadTooLarge, "Payload too large",
		"The request body exceeds the limit of "+strconv.FormatInt(n, 10)+" bytes.")
}

// IsTooLarge reports whether err comes from reading past the body limit.
func IsTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// Recover turns a panic into a 500 problem and a log line with the stack,
// so one bad request never takes the process down.
func Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				Log(r.Context()).ErrorContext(r.Context(), "panic", "value", v, "stack", string(debug.Stack()))
				WriteProblem(w, r, Internal(errors.New("panic")))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter records the status code and size for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Metrics holds the HTTP Prometheus collectors.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the HTTP collectors on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gatehouse_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// MethodLabel is method as a metrics and log label: a standard method
// (RFC 9110, and PATCH) as it is, anything else "OTHER". Clients choose the
// method freely (any token up to the header limit), so a raw method label
// would let each request add a series.
func MethodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "OTHER"
}

// allowedMethods are the methods some route serves; KnownMethods refuses
// the others.
const allowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"

// KnownMethods answers 405 to a method no route serves (an unknown token,
// CONNECT, TRACE) before any router or handler sees it, so odd methods
// reach nothing but this check and the access log and metrics (as OTHER).
func KnownMethods(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
			http.MethodDelete, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Allow", allowedMethods)
		WriteProblem(w, r, NewProblem(http.StatusMethodNotAllowed, TypeMethodNotAllowed, "Method not allowed",
			"This server serves only the methods "+allowedMethods+"."))
	})
}

// Observe logs every request and records its metrics. The route label is
// the router's pattern, never the raw path, and the method label is
// MethodLabel's, so label cardinality stays bounded whatever clients send.
func (m *Metrics) Observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r, st := withState(r, func(st *reqState) bool { return st.sw.ResponseWriter == nil })
		st.sw = statusWriter{ResponseWriter: w}
		sw := &st.sw
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		elapsed := time.Since(start)
		route := st.route
		if route == "" {
			route = r.Pattern
		}
		st.route = route
		if route == "" {
			route = "unmatched"
		}
		method := MethodLabel(r.Method)
		m.requests.WithLabelValues(route, method, strconv.Itoa(sw.status)).Inc()
		m.duration.WithLabelValues(route, method).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		ctx := r.Context()
		if log := Log(ctx); log.Enabled(ctx, level) {
			// Only the path is logged: query strings can carry codes and tokens.
			// The method as labelled: an unknown one can be 64 KiB long.
			log.LogAttrs(ctx, level, "http request", slog.String("method", method), slog.String("path", r.URL.Path),
				slog.String("route", route), slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", elapsed), slog.String("remote", r.RemoteAddr))
		}
	})
}
