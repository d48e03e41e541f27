// Package telemetry is Gatehouse's OpenTelemetry tracing as the code sees
// it: child spans for the work a request does (database statements,
// password hashing, token signing), the HTTP server middleware that starts
// a request's span, and trace IDs in log records. It uses only the
// OpenTelemetry API, whose global tracer does nothing until
// internal/telemetry/otlp installs an exporting one from the standard
// OTEL_* environment; with tracing off the helpers cost a context lookup.
package telemetry

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// ScopeName is the instrumentation scope of Gatehouse's own spans.
const ScopeName = "github.com/gatehouse-iam/gatehouse"

var enabled atomic.Bool

// Enabled reports whether an exporting tracer is installed.
func Enabled() bool { return enabled.Load() }

// SetEnabled records whether an exporting tracer is installed; only the
// otlp package calls it.
func SetEnabled(on bool) { enabled.Store(on) }

// tracer is the global API tracer: it delegates to whatever provider is
// installed, also one installed after this line ran.
var tracer = otel.Tracer(ScopeName)

// noSpan is the span Start returns when there is nothing to record.
var noSpan = trace.SpanFromContext(context.Background())

// Recording reports whether ctx is inside a span that records: callers
// with costly span attributes check it first.
func Recording(ctx context.Context) bool { return trace.SpanFromContext(ctx).IsRecording() }

// Start starts a span named name as a child of ctx's span, if that span
// records. Without one (tracing off, the trace not sampled, or work outside
// any request such as a background poll) it returns ctx and a span that
// does nothing, so only requests make traces. attrs are key, value pairs,
// read only when the span records.
func Start(ctx context.Context, name string, attrs ...string) (context.Context, trace.Span) {
	return start(ctx, name, trace.SpanKindInternal, attrs)
}

// StartClient is Start for a call to another service (a database).
func StartClient(ctx context.Context, name string, attrs ...string) (context.Context, trace.Span) {
	return start(ctx, name, trace.SpanKindClient, attrs)
}

func start(ctx context.Context, name string, kind trace.SpanKind, attrs []string) (context.Context, trace.Span) {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx, noSpan
	}
	kvs := make([]attribute.KeyValue, 0, len(attrs)/2)
	for i := 0; i+1 < len(attrs); i += 2 {
		kvs = append(kvs, attribute.String(attrs[i], attrs[i+1]))
	}
	return tracer.Start(ctx, name, trace.WithSpanKind(kind), trace.WithAttributes(kvs...))
}

// End ends span, marking it failed with err unless err is nil.
func End(span trace.Span, err error) {
	if err != nil && span.IsRecording() {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// untraced are the operations endpoints: probes and scrapes every few
// seconds would bury the requests worth tracing.
var untraced = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// Middleware starts a server span for every request but the operations
// endpoints, continuing a trace whose W3C traceparent the request carries,
// and names it by method and route pattern once the router has matched
// it ("GET /admin/v1/users/{id}"), never by the raw path. It must run
// inside httpx.RequestIDs and outside the router, and is a no-op when
// tracing is off.
func Middleware(next http.Handler) http.Handler {
	if !Enabled() {
		return next
	}
	named := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if route := httpx.Route(r.Context()); route != "" {
			// Routers record "/path/{param}" or "METHOD /path/{param}".
			m := method(r)
			route = strings.TrimPrefix(route, r.Method+" ")
			span := trace.SpanFromContext(r.Context())
			span.SetName(m + " " + route)
			span.SetAttributes(attribute.String("http.route", route))
		}
	})
	return otelhttp.NewHandler(named, "http",
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return method(r) }),
		otelhttp.WithFilter(func(r *http.Request) bool { return !untraced[r.URL.Path] }))
}

// method is r's method as metrics label it: span names must not carry
// whatever token a client sends.
func method(r *http.Request) string { return httpx.MethodLabel(r.Method) }

// LogHandler adds trace_id and span_id to every record logged with a
// context inside a sampled span, so a log line leads to its trace.
func LogHandler(h slog.Handler) slog.Handler { return logHandler{h} }

type logHandler struct{ slog.Handler }

func (h logHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() && sc.IsSampled() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func (h logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return logHandler{h.Handler.WithAttrs(as)}
}

func (h logHandler) WithGroup(name string) slog.Handler {
	return logHandler{h.Handler.WithGroup(name)}
}
