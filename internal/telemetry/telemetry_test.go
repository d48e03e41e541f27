package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// Spans only exist inside a recording span; outside one Start is free of
// allocations and returns ctx as it was.
func TestStartOnlyInsideATrace(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	defer otel.SetTracerProvider(noop.NewTracerProvider())

	ctx := context.Background()
	if got, span := Start(ctx, "orphan", "k", "v"); got != ctx || span.IsRecording() {
		t.Fatal("a span was started outside any trace")
	}
	if n := testing.AllocsPerRun(100, func() { _, s := Start(ctx, "orphan", "k", "v"); s.End() }); n != 0 {
		t.Errorf("Start outside a trace allocates %v times", n)
	}
	root, parent := otel.Tracer("test").Start(ctx, "request")
	_, child := StartClient(root, "SELECT users", "db.system.name", "sqlite")
	End(child, context.Canceled)
	parent.End()
	spans := rec.Ended()
	if len(spans) != 2 || spans[0].Name() != "SELECT users" || spans[0].Parent().SpanID() != parent.SpanContext().SpanID() ||
		spans[0].Status().Description != context.Canceled.Error() || len(spans[0].Attributes()) != 1 {
		t.Fatalf("child span: %+v", spans)
	}
}

// Log records inside a sampled span carry its IDs; others do not.
func TestLogHandler(t *testing.T) {
	otel.SetTracerProvider(sdktrace.NewTracerProvider())
	defer otel.SetTracerProvider(noop.NewTracerProvider())
	var buf bytes.Buffer
	log := slog.New(LogHandler(slog.NewJSONHandler(&buf, nil))).With("component", "test")
	ctx, span := otel.Tracer("test").Start(context.Background(), "request")
	log.InfoContext(ctx, "inside")
	span.End()
	log.InfoContext(context.Background(), "outside")
	var in, out map[string]any
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if len(lines) != 2 || json.Unmarshal(lines[0], &in) != nil || json.Unmarshal(lines[1], &out) != nil {
		t.Fatalf("log: %s", buf.String())
	}
	if in["trace_id"] != span.SpanContext().TraceID().String() || in["span_id"] != span.SpanContext().SpanID().String() || in["component"] != "test" {
		t.Errorf("inside a span: %v", in)
	}
	if _, ok := out["trace_id"]; ok {
		t.Errorf("outside a span: %v", out)
	}
}

// The middleware is not there with tracing off; with it on, the span is
// named by the route the router recorded, with the method first once.
func TestMiddlewareNamesSpansByRoute(t *testing.T) {
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { httpx.SetRoute(r.Context(), "GET /admin/v1/users/{id}") })
	rec := tracetest.NewSpanRecorder()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	defer otel.SetTracerProvider(noop.NewTracerProvider())
	serve := func() {
		h := httpx.Chain(next, httpx.RequestIDs, Middleware, httpx.NewMetrics(prometheus.NewRegistry()).Observe)
		for _, path := range []string{"/admin/v1/users/42", "/healthz"} {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
		}
	}
	serve()
	if n := len(rec.Ended()); n != 0 {
		t.Fatalf("%d spans with tracing off", n)
	}
	SetEnabled(true)
	defer SetEnabled(false)
	serve()
	spans := rec.Ended()
	if len(spans) != 1 || spans[0].Name() != "GET /admin/v1/users/{id}" {
		names := []string{}
		for _, s := range spans {
			names = append(names, s.Name())
		}
		t.Fatalf("spans %v, want one named by the route (and none for /healthz)", names)
	}
}
