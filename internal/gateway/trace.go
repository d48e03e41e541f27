package gateway

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
)

// Tracing (docs/gateway.md, Observability). With tracing on (the OTEL_*
// environment, internal/telemetry/otlp) every proxied or forward-auth
// request gets a server span, continuing the caller's W3C trace, with
// child spans for the token check, the introspection call and each
// upstream round trip; the upstream's traceparent is its round trip's
// span. Spans carry the route, method and status, never the token, the
// path or the subject. With tracing off nothing here runs but an atomic
// load and context lookups, which do not allocate.

var tracer = otel.Tracer(telemetry.ScopeName)

// Span attributes of the gateway's own.
const (
	attrRoute         = "gatehouse.gateway.route"
	attrAuthenticated = "gatehouse.gateway.authenticated"
	attrAuthMode      = "gatehouse.gateway.auth_mode"
	attrTokenValid    = "gatehouse.gateway.token_valid"
)

// serveTraced is ServeHTTP inside a server span. Embedded in serve (the
// forward-auth endpoint of GATEHOUSE_GATEWAY_CONFIG) the request already
// has serve's server span, and the gateway's is an internal child of it.
func (g *Gateway) serveTraced(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	kind := trace.SpanKindInternal
	if !trace.SpanFromContext(ctx).IsRecording() {
		ctx = otel.GetTextMapPropagator().Extract(ctx, propagation.HeaderCarrier(r.Header))
		kind = trace.SpanKindServer
	}
	m := httpx.MethodLabel(r.Method)
	ctx, span := tracer.Start(ctx, m, trace.WithSpanKind(kind),
		trace.WithAttributes(attribute.String("http.request.method", m)))
	defer span.End()
	g.serve(w, r.WithContext(ctx))
}

// spanResult names the request's span after its route and records how it
// ended; a no-op outside a recording span.
func spanResult(r *http.Request, route string, status int, id *Identity) {
	span := trace.SpanFromContext(r.Context())
	if !span.IsRecording() {
		return
	}
	span.SetName(httpx.MethodLabel(r.Method) + " " + route)
	span.SetAttributes(attribute.String(attrRoute, route), attribute.Int("http.response.status_code", status),
		attribute.Bool(attrAuthenticated, id != nil))
	if status >= 500 {
		span.SetStatus(codes.Error, strconv.Itoa(status))
	}
}

// endCheck ends a token check's span: an invalid token is the caller's
// mistake, recorded as an attribute; an unreachable issuer is an error.
func endCheck(span trace.Span, err error) {
	if err != nil {
		var it *errInvalidToken
		if errors.As(err, &it) {
			span.SetAttributes(attribute.Bool(attrTokenValid, false))
			err = nil
		}
	}
	telemetry.End(span, err)
}

// verify is Verifier.Verify inside a "token check" span.
func (s *state) verify(ctx context.Context, tok string) (*Identity, error) {
	ctx, span := telemetry.Start(ctx, "gateway token check", attrAuthMode, "jwt")
	id, err := s.verifier.Verify(ctx, tok)
	endCheck(span, err)
	return id, err
}

// introspect is Introspector.Introspect inside an "introspection" span;
// the call to the issuer (through http.DefaultTransport, instrumented by
// otlp.Setup) is its child.
func (s *state) introspect(ctx context.Context, tok string) (*Identity, error) {
	ctx, span := telemetry.Start(ctx, "gateway introspection", attrAuthMode, "introspect")
	id, err := s.introspector.Introspect(ctx, tok)
	endCheck(span, err)
	return id, err
}

// startUpstream starts the client span of one upstream attempt and puts
// its traceparent on the outbound request (replacing the caller's, whose
// span is this one's grandparent).
func startUpstream(req *http.Request, attempt int) trace.Span {
	ctx, span := telemetry.StartClient(req.Context(), "upstream")
	if !span.IsRecording() {
		return span
	}
	m := httpx.MethodLabel(req.Method)
	span.SetName(m)
	span.SetAttributes(attribute.String("http.request.method", m), attribute.String("server.address", req.URL.Hostname()),
		attribute.String("url.scheme", req.URL.Scheme))
	if p := req.URL.Port(); p != "" {
		if n, err := strconv.Atoi(p); err == nil {
			span.SetAttributes(attribute.Int("server.port", n))
		}
	}
	if attempt > 0 {
		span.SetAttributes(attribute.Int("http.request.resend_count", attempt))
	}
	otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(req.Header))
	return span
}

// endUpstream ends an attempt's span with the upstream's answer.
func endUpstream(span trace.Span, resp *http.Response, err error) {
	if resp != nil && span.IsRecording() {
		span.SetAttributes(attribute.Int("http.response.status_code", resp.StatusCode))
		if resp.StatusCode >= 500 {
			span.SetStatus(codes.Error, strconv.Itoa(resp.StatusCode))
		}
	}
	telemetry.End(span, err)
}
