package otlp

import (
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// Tracing is on only when an endpoint or the otlp exporter is asked for,
// and settings Gatehouse cannot follow stop the start with a clear error.
func TestEnabled(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		on   bool
		fail string
	}{
		{nil, false, ""},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"}, true, ""},
		{[]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces"}, true, ""},
		{[]string{"OTEL_TRACES_EXPORTER", "otlp"}, true, ""},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4318", "OTEL_TRACES_EXPORTER", "none"}, false, ""},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4318", "OTEL_SDK_DISABLED", "true"}, false, ""},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4318", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"}, true, ""},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}, false, "OTLP/HTTP only"},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4318", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
			"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf"}, true, ""},
		{[]string{"OTEL_TRACES_EXPORTER", "zipkin"}, false, "want otlp or none"},
	} {
		on, err := Enabled(env(tc.env...))
		if on != tc.on || (tc.fail == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.fail)) {
			t.Errorf("%v: on=%v err=%v; want on=%v error %q", tc.env, on, err, tc.on, tc.fail)
		}
	}
}

// With tracing on, a request through Go's default transport (a webhook
// delivery, a range lookup) is a client span and carries traceparent; the
// export itself is not traced; shutdown flushes and puts everything back.
func TestSetupTracesOutboundRequests(t *testing.T) {
	var mu sync.Mutex
	var spans []*tracepb.Span
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(raw, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		for _, rs := range req.ResourceSpans {
			for _, ss := range rs.ScopeSpans {
				spans = append(spans, ss.Spans...)
			}
		}
		mu.Unlock()
	}))
	defer collector.Close()
	var traceparent string
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		traceparent = r.Header.Get("traceparent")
	}))
	defer receiver.Close()

	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	before := http.DefaultTransport
	shutdown, err := Setup(t.Context(), env("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL), "v-test", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if !telemetry.Enabled() || http.DefaultTransport == before {
		t.Fatal("Setup did not turn tracing on")
	}
	resp, err := http.Post(receiver.URL+"/hook", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if telemetry.Enabled() || http.DefaultTransport != before {
		t.Fatal("shutdown left tracing on")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(spans) != 1 || spans[0].Kind != tracepb.Span_SPAN_KIND_CLIENT {
		t.Fatalf("want one client span (and none for the export), got %v", spans)
	}
	if want := "00-" + hex.EncodeToString(spans[0].TraceId) + "-" + hex.EncodeToString(spans[0].SpanId) + "-01"; traceparent != want {
		t.Fatalf("traceparent %q, want %q", traceparent, want)
	}
}
