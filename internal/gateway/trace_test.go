package gateway_test

import (
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/gatehouse-iam/gatehouse/internal/gateway"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
)

const (
	callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	callerSpan  = "00f067aa0ba902b7"
	callerTP    = "00-" + callerTrace + "-" + callerSpan + "-01"
)

// The gateway's spans with a real Gatehouse as issuer, recorded by the
// SDK's in-memory recorder: a server span continuing the caller's trace,
// the token check, the introspection (and the issuer call under it) and
// the upstream round trip as its children, the upstream's traceparent
// being the round trip's span; no token, path or subject in any of them.
func TestTraceSpans(t *testing.T) {
	ri := newRealIssuer(t)
	up := newUpstream(t, "main")
	// otlp.Setup instruments http.DefaultTransport the same way.
	issuerClient := &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport)}
	g, u, _ := startGateway(t, ri.gatewayConfig(up.URL), gateway.Options{IssuerClient: issuerClient, TrustedProxies: loopback()})
	if err := g.Warm(t.Context()); err != nil {
		t.Fatal(err)
	}
	jwt, untraced := ri.token(t, billingAud), ri.token(t, billingAud) // each introspected once, then cached

	// Tracing off: no span of the gateway's (the instrumented issuer
	// client makes its own), the caller's traceparent passes as is.
	rec := tracetest.NewSpanRecorder()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	prop := otel.GetTextMapPropagator()
	otel.SetTextMapPropagator(propagation.TraceContext{})
	defer func() { otel.SetTracerProvider(noop.NewTracerProvider()); otel.SetTextMapPropagator(prop) }()
	r := call(t, "GET", u+"/checked/x", untraced, map[string]string{"Traceparent": callerTP})
	if r.Status != 200 || r.Seen.Header.Get("Traceparent") != callerTP {
		t.Fatalf("tracing off: %d, upstream traceparent %q", r.Status, r.Seen.Header.Get("Traceparent"))
	}
	for _, s := range rec.Ended() {
		if s.Name() != "HTTP POST" {
			t.Fatalf("span %q with tracing off", s.Name())
		}
	}
	// (The API's global tracers delegate to the first provider set: one
	// recorder, read from a mark.)
	mark := len(rec.Ended())

	telemetry.SetEnabled(true)
	defer telemetry.SetEnabled(false)
	r = call(t, "GET", u+"/checked/x", jwt, map[string]string{"Traceparent": callerTP})
	if r.Status != 200 {
		t.Fatalf("traced request: %d %s", r.Status, r.Body)
	}
	spans := byName(t, rec.Ended()[mark:])
	server := spans["GET billing-checked"]
	if server == nil || server.SpanKind() != trace.SpanKindServer || server.Parent().SpanID().String() != callerSpan ||
		server.SpanContext().TraceID().String() != callerTrace {
		t.Fatalf("server span: %+v", server)
	}
	wantAttrs(t, server, map[string]attribute.Value{"gatehouse.gateway.route": attribute.StringValue("billing-checked"),
		"http.response.status_code": attribute.IntValue(200), "gatehouse.gateway.authenticated": attribute.BoolValue(true),
		"http.request.method": attribute.StringValue("GET")})
	for _, name := range []string{"gateway token check", "gateway introspection", "GET"} {
		if s := spans[name]; s == nil || s.Parent().SpanID() != server.SpanContext().SpanID() {
			t.Fatalf("%q is not a child of the server span: %+v", name, s)
		}
	}
	upstream := spans["GET"]
	if upstream.SpanKind() != trace.SpanKindClient || r.Seen.Header.Get("Traceparent") != "00-"+callerTrace+"-"+upstream.SpanContext().SpanID().String()+"-01" {
		t.Fatalf("upstream traceparent %q, round trip span %s", r.Seen.Header.Get("Traceparent"), upstream.SpanContext().SpanID())
	}
	wantAttrs(t, upstream, map[string]attribute.Value{"http.response.status_code": attribute.IntValue(200), "server.address": attribute.StringValue("127.0.0.1")})
	if s := spans["HTTP POST"]; s == nil || s.Parent().SpanID() != spans["gateway introspection"].SpanContext().SpanID() {
		t.Fatalf("the introspection call is not under the introspection span: %+v", s)
	}
	for _, s := range rec.Ended()[mark:] {
		for _, kv := range s.Attributes() {
			if v := kv.Value.String(); strings.Contains(v, jwt[:20]) || strings.Contains(v, ri.clientID) || strings.Contains(v, "/checked/x") {
				t.Errorf("span %q attribute %s = %q: a token, subject or path", s.Name(), kv.Key, v)
			}
		}
	}

	// A forged token: 401, the check says invalid, no span errors.
	mark = len(rec.Ended())
	wantProblem(t, call(t, "GET", u+"/billing/x", jwt[:len(jwt)-4]+"AAAA", nil), 401, httpx.TypeUnauthorized)
	spans = byName(t, rec.Ended()[mark:])
	wantAttrs(t, spans["GET billing"], map[string]attribute.Value{"http.response.status_code": attribute.IntValue(401),
		"gatehouse.gateway.authenticated": attribute.BoolValue(false)})
	wantAttrs(t, spans["gateway token check"], map[string]attribute.Value{"gatehouse.gateway.token_valid": attribute.BoolValue(false)})
	for _, s := range rec.Ended()[mark:] {
		if s.Status().Code == codes.Error {
			t.Errorf("span %q is an error for a client's bad token", s.Name())
		}
	}
	if _, ok := spans["GET"]; ok {
		t.Error("a refused request reached the upstream")
	}

	// Forward-auth: a server span named by the described request's route.
	mark = len(rec.Ended())
	if r := call(t, "GET", u+"/forward-auth", jwt, map[string]string{"X-Original-URI": "/billing/x"}); r.Status != 200 {
		t.Fatalf("forward-auth: %d %s", r.Status, r.Body)
	}
	spans = byName(t, rec.Ended()[mark:])
	if s := spans["GET billing"]; s == nil || s.SpanKind() != trace.SpanKindServer || spans["gateway token check"].Parent().SpanID() != s.SpanContext().SpanID() {
		t.Fatalf("forward-auth spans: %v", spans)
	}
}

func byName(t *testing.T, spans []sdktrace.ReadOnlySpan) map[string]sdktrace.ReadOnlySpan {
	t.Helper()
	m := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		if _, dup := m[s.Name()]; dup {
			t.Fatalf("two spans named %q", s.Name())
		}
		m[s.Name()] = s
	}
	return m
}

func wantAttrs(t *testing.T, s sdktrace.ReadOnlySpan, want map[string]attribute.Value) {
	t.Helper()
	if s == nil {
		t.Fatal("no such span")
	}
	got := map[string]attribute.Value{}
	for _, kv := range s.Attributes() {
		got[string(kv.Key)] = kv.Value
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("span %q: %s = %v, want %v", s.Name(), k, got[k].String(), v.String())
		}
	}
}
