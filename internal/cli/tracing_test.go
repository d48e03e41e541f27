package cli_test

import (
	"bytes"
	"compress/gzip"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// otlpReceiver is an OTLP/HTTP trace endpoint on loopback that keeps every
// span exported to it.
type otlpReceiver struct {
	url     string
	mu      sync.Mutex
	spans   []*tracepb.Span
	service []string // service.name of each export's resource
}

func newOTLPReceiver(t *testing.T) *otlpReceiver {
	rec := &otlpReceiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "want protobuf on /v1/traces", http.StatusBadRequest)
			return
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		raw, _ := io.ReadAll(body)
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(raw, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rec.mu.Lock()
		for _, rs := range req.ResourceSpans {
			for _, a := range rs.GetResource().GetAttributes() {
				if a.Key == "service.name" {
					rec.service = append(rec.service, a.GetValue().GetStringValue())
				}
			}
			for _, ss := range rs.ScopeSpans {
				rec.spans = append(rec.spans, ss.Spans...)
			}
		}
		rec.mu.Unlock()
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	rec.url = srv.URL
	return rec
}

// trace returns the spans of one trace, by span ID.
func (rec *otlpReceiver) trace(traceID []byte) map[string]*tracepb.Span {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := map[string]*tracepb.Span{}
	for _, s := range rec.spans {
		if bytes.Equal(s.TraceId, traceID) {
			out[hex.EncodeToString(s.SpanId)] = s
		}
	}
	return out
}

// find returns the spans of tr named name.
func find(tr map[string]*tracepb.Span, name string) []*tracepb.Span {
	var out []*tracepb.Span
	for _, s := range tr {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// under reports whether s descends from the span ancestor in tr.
func under(tr map[string]*tracepb.Span, s *tracepb.Span, ancestor []byte) bool {
	for depth := 0; s != nil && depth < 20; depth++ {
		if bytes.Equal(s.ParentSpanId, ancestor) {
			return true
		}
		s = tr[hex.EncodeToString(s.ParentSpanId)]
	}
	return false
}

func attr(s *tracepb.Span, key string) string {
	for _, a := range s.Attributes {
		if a.Key == key {
			return a.GetValue().GetStringValue()
		}
	}
	return ""
}

// With OTEL_EXPORTER_OTLP_ENDPOINT set, serve exports a token request's
// trace over OTLP/HTTP: the server span (named by route, continuing the
// caller's traceparent), the database statements and the token signing
// below it; the access log line carries the trace ID; no secret reaches a
// span. With Redis, a password sign-in shows the argon2id verification and
// the rate-limit commands.
func TestServeExportsTraces(t *testing.T) {
	t.Parallel()
	rec := newOTLPReceiver(t)
	env := baseEnv(t, sqliteURL(t))
	env["OTEL_EXPORTER_OTLP_ENDPOINT"] = rec.url
	env["OTEL_BSP_SCHEDULE_DELAY"] = "50"
	env["OTEL_SERVICE_NAME"] = "gatehouse-test"
	redisURL := os.Getenv("GATEHOUSE_TEST_REDIS_URL")
	if redisURL != "" {
		env["GATEHOUSE_REDIS_URL"] = redisURL
	}
	srv := opsServe(t, env)
	b := opsBrowser(t)

	var client map[string]any
	opsDo(t, b, http.MethodPost, srv.url+"/admin/v1/clients", opsAdminToken, map[string]any{
		"client_name": "Billing", "grant_types": []string{"client_credentials"}, "scope": "invoices:read"}, &client)
	clientID, _ := client["client_id"].(string)
	clientSecret, _ := client["client_secret"].(string)

	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"invoices:read"}}
	req, _ := http.NewRequest(http.MethodPost, srv.url+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("traceparent", "00-"+traceID+"-"+parentID+"-01")
	req.SetBasicAuth(clientID, clientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token request: %d", resp.StatusCode)
	}

	const email, password = "grace@example.org", "correct horse battery staple"
	if redisURL != "" {
		opsDo(t, b, http.MethodPost, srv.url+"/admin/v1/users", opsAdminToken,
			map[string]any{"email": email, "password": password, "email_verified": true}, &map[string]any{})
		var web map[string]any
		opsDo(t, b, http.MethodPost, srv.url+"/admin/v1/clients", opsAdminToken, map[string]any{
			"client_name": "Web", "redirect_uris": []string{"http://127.0.0.1:9/cb"}, "grant_types": []string{"authorization_code"},
			"response_types": []string{"code"}, "scope": "openid", "metadata": map[string]any{"first_party": true}}, &web)
		webID, _ := web["client_id"].(string)
		webSecret, _ := web["client_secret"].(string)
		if code := signIn(t, b, srv, webID, webSecret, email, password); code != http.StatusOK {
			t.Fatalf("sign-in: %d", code)
		}
	}
	if code := srv.stop(); code != 0 { // flushes the spans still buffered
		t.Fatalf("exit %d\n%s", code, srv.stderr)
	}

	wantTrace, _ := hex.DecodeString(traceID)
	wantParent, _ := hex.DecodeString(parentID)
	tr := rec.trace(wantTrace)
	servers := find(tr, "POST /oauth/token")
	if len(servers) != 1 {
		names := []string{}
		for _, s := range tr {
			names = append(names, s.Name)
		}
		t.Fatalf("want one POST /oauth/token span in the caller's trace, got %d; spans: %v", len(servers), names)
	}
	server := servers[0]
	if server.Kind != tracepb.Span_SPAN_KIND_SERVER || !bytes.Equal(server.ParentSpanId, wantParent) || attr(server, "http.route") != "/oauth/token" {
		t.Errorf("server span: kind %v, parent %x (want %s), route %q", server.Kind, server.ParentSpanId, parentID, attr(server, "http.route"))
	}
	signs := find(tr, "sign access token")
	if len(signs) != 1 || !under(tr, signs[0], server.SpanId) || attr(signs[0], "jwt.alg") != "ES256" {
		t.Errorf("signing span: %v", signs)
	}
	var db []*tracepb.Span
	for _, s := range tr {
		if attr(s, "db.system.name") == "sqlite" {
			db = append(db, s)
			if s.Kind != tracepb.Span_SPAN_KIND_CLIENT || !under(tr, s, server.SpanId) || attr(s, "db.operation.name") == "" ||
				!strings.HasPrefix(s.Name, attr(s, "db.operation.name")) || attr(s, "db.query.text") == "" {
				t.Errorf("database span %q: kind %v, operation %q", s.Name, s.Kind, attr(s, "db.operation.name"))
			}
		}
	}
	if len(db) == 0 {
		t.Error("no database span under the token request (the client is read on first use)")
	}
	rec.mu.Lock()
	for _, s := range rec.spans {
		for _, a := range s.Attributes {
			if v := a.GetValue().GetStringValue(); strings.Contains(v, clientSecret) || strings.Contains(v, password) {
				t.Errorf("span %q attribute %s carries a secret", s.Name, a.Key)
			}
		}
		if s.Name == "GET /healthz" || s.Name == "GET /readyz" {
			t.Errorf("a probe was traced: %s", s.Name)
		}
	}
	for _, svc := range rec.service {
		if svc != "gatehouse-test" {
			t.Errorf("resource service.name %q, want OTEL_SERVICE_NAME", svc)
		}
	}
	all := rec.spans
	rec.mu.Unlock()

	logged := false
	for _, l := range strings.Split(srv.stderr.String(), "\n") {
		var rec struct {
			Msg, Route string
			TraceID    string `json:"trace_id"`
			SpanID     string `json:"span_id"`
		}
		if json.Unmarshal([]byte(l), &rec) == nil && rec.Msg == "http request" && rec.TraceID == traceID {
			logged = rec.Route == "POST /oauth/token" && rec.SpanID == hex.EncodeToString(server.SpanId)
		}
	}
	if !logged {
		for _, l := range strings.Split(srv.stderr.String(), "\n") {
			if strings.Contains(l, "oauth/token") {
				t.Log(l)
			}
		}
		t.Errorf("the access log line of the token request lacks trace_id %s and the server span's span_id", traceID)
	}

	if redisURL == "" {
		t.Log("GATEHOUSE_TEST_REDIS_URL unset: the sign-in's Redis spans were not checked")
		return
	}
	var signIn *tracepb.Span
	for _, s := range all {
		if s.Name == "POST /login/api/authenticate" {
			signIn = s
		}
	}
	if signIn == nil {
		t.Fatal("no span for the sign-in")
	}
	tr = rec.trace(signIn.TraceId)
	if v := find(tr, "argon2id verify"); len(v) != 1 || !under(tr, v[0], signIn.SpanId) {
		t.Errorf("argon2id spans under the sign-in: %d", len(v))
	}
	redis := 0
	for _, s := range tr {
		if attr(s, "db.system") == "redis" || attr(s, "db.system.name") == "redis" {
			redis++
		}
	}
	if redis == 0 {
		t.Error("no Redis span under the sign-in")
	}
}
