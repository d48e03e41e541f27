package cli_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// gwIssuer serves discovery and a JWKS and signs access tokens.
func gwIssuer(t *testing.T) (url string, sign func(sub string) string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/keys" {
			_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: "k", Algorithm: "ES256", Use: "sig"}}})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": "http://" + r.Host, "jwks_uri": "http://" + r.Host + "/keys"})
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func(sub string) string {
		s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithType("at+jwt").WithHeader("kid", "k"))
		b, _ := json.Marshal(map[string]any{"iss": srv.URL, "sub": sub, "aud": "https://api.example.com", "scope": "read",
			"exp": time.Now().Add(time.Hour).Unix()})
		jws, _ := s.Sign(b)
		tok, _ := jws.CompactSerialize()
		return tok
	}
}

func gwFreeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func gwGet(t *testing.T, url, token string, hdr map[string]string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func waitLog(t *testing.T, p *proc, msg string) {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for !strings.Contains(p.stderr.String(), msg) {
		select {
		case <-p.exited:
			t.Fatalf("exited with %d before logging %q\n%s", p.code, msg, p.stderr)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the log:\n%s", msg, p.stderr)
		}
	}
}

// TestGatewayCommand runs `gatehouse gateway` as a process: config from
// GATEHOUSE_GATEWAY_CONFIG, a request through it, an invalid file on
// SIGHUP refused with the old configuration kept, SIGTERM.
func TestGatewayCommand(t *testing.T) {
	t.Parallel()
	iss, sign := gwIssuer(t)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "sub="+r.Header.Get("X-Gatehouse-Subject")+" path="+r.URL.Path)
	}))
	t.Cleanup(up.Close)
	addr := gwFreeAddr(t)
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	good := "listen: " + addr + "\nissuer: " + iss + "\nroutes:\n  - name: api\n    match: {path_prefix: /api/}\n    upstream: " + up.URL +
		"\n    strip_prefix: true\n    auth: {mode: jwt, audience: 'https://api.example.com', scopes: [read]}\n"
	if err := os.WriteFile(path, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, map[string]string{"GATEHOUSE_GATEWAY_CONFIG": path, "GATEHOUSE_LOG_FORMAT": "json"}, "gateway")
	waitLog(t, p, `"msg":"gateway listening"`)
	code, _, body := gwGet(t, "http://"+addr+"/api/x", sign("alice"), map[string]string{"X-Gatehouse-Subject": "admin"})
	if code != 200 || body != "sub=alice path=/x" {
		t.Fatalf("%d %s", code, body)
	}
	if code, h, _ := gwGet(t, "http://"+addr+"/api/x", "", nil); code != 401 || !strings.Contains(h.Get("WWW-Authenticate"), "invalid_token") {
		t.Fatalf("no token: %d %v", code, h)
	}
	if err := os.WriteFile(path, []byte(good+"bogus: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitLog(t, p, "config reload rejected, keeping the previous configuration")
	if code, _, body := gwGet(t, "http://"+addr+"/api/x", sign("bob"), nil); code != 200 || body != "sub=bob path=/x" {
		t.Fatalf("after a rejected reload: %d %s", code, body)
	}
	if code := p.stop(); code != 0 {
		t.Fatalf("exit %d\n%s", code, p.stderr)
	}
}

func TestGatewayCommandNeedsAValidConfig(t *testing.T) {
	t.Parallel()
	r := run(t, map[string]string{}, "gateway")
	if r.code != 1 || !strings.Contains(r.stderr, "--config FILE or GATEHOUSE_GATEWAY_CONFIG is required") {
		t.Fatalf("%v", r)
	}
	path := filepath.Join(t.TempDir(), "g.yaml")
	_ = os.WriteFile(path, []byte("issuer: http://x\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: jwt}}]\n"), 0o600)
	r = run(t, map[string]string{}, "gateway", "--config", path)
	if r.code != 1 || !strings.Contains(r.stderr, "audience: required") {
		t.Fatalf("%v", r)
	}
}

// TestServeAnswersForwardAuth: with GATEHOUSE_GATEWAY_CONFIG set, serve
// answers /forward-auth on its own listener.
func TestServeAnswersForwardAuth(t *testing.T) {
	t.Parallel()
	iss, sign := gwIssuer(t)
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	cfg := "issuer: " + iss + "\nroutes:\n  - name: api\n    match: {path_prefix: /api/}\n    auth: {mode: jwt, audience: 'https://api.example.com'}\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := serveEnv(baseEnv(t, sqliteURL(t)))
	env["GATEHOUSE_GATEWAY_CONFIG"] = path
	env["GATEHOUSE_TRUSTED_PROXIES"] = "127.0.0.1"
	p := startServe(t, env)
	p.waitReady()
	code, h, body := gwGet(t, p.url+"/forward-auth", sign("carol"), map[string]string{"X-Original-URI": "/api/x", "X-Original-Method": "GET"})
	if code != 200 || h.Get("X-Gatehouse-Subject") != "carol" {
		t.Fatalf("%d %v %s", code, h, body)
	}
	if code, _, _ := gwGet(t, p.url+"/forward-auth", "", map[string]string{"X-Original-URI": "/api/x"}); code != 401 {
		t.Fatalf("no token: %d", code)
	}
	if code := p.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// With OTEL_EXPORTER_OTLP_ENDPOINT set, `gatehouse gateway` exports its
// spans as serve does: the request's server span continuing the caller's
// traceparent, the token check and the upstream round trip under it, whose
// span ID is the traceparent the upstream received; the access log line
// carries the trace ID.
func TestGatewayExportsTraces(t *testing.T) {
	t.Parallel()
	rec := newOTLPReceiver(t)
	iss, sign := gwIssuer(t)
	seen := make(chan string, 1)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case seen <- r.Header.Get("Traceparent"):
		default:
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(up.Close)
	addr := gwFreeAddr(t)
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	cfg := "listen: " + addr + "\nissuer: " + iss + "\nroutes:\n  - name: api\n    match: {path_prefix: /api/}\n    upstream: " + up.URL +
		"\n    auth: {mode: jwt, audience: 'https://api.example.com', scopes: [read]}\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, map[string]string{"GATEHOUSE_GATEWAY_CONFIG": path, "GATEHOUSE_LOG_FORMAT": "json",
		"OTEL_EXPORTER_OTLP_ENDPOINT": rec.url, "OTEL_BSP_SCHEDULE_DELAY": "50", "OTEL_SERVICE_NAME": "gatehouse-gateway"}, "gateway")
	waitLog(t, p, `"msg":"gateway listening"`)
	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	tok := sign("alice")
	if code, _, body := gwGet(t, "http://"+addr+"/api/x", tok, map[string]string{"traceparent": "00-" + traceID + "-" + parentID + "-01"}); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	upstreamTP := <-seen
	if code := p.stop(); code != 0 { // flushes the spans
		t.Fatalf("exit %d\n%s", code, p.stderr)
	}
	wantTrace, _ := hex.DecodeString(traceID)
	wantParent, _ := hex.DecodeString(parentID)
	tr := rec.trace(wantTrace)
	servers, checks, trips := find(tr, "GET api"), find(tr, "gateway token check"), find(tr, "GET")
	if len(servers) != 1 || len(checks) != 1 || len(trips) != 1 {
		t.Fatalf("spans of the trace: %v", tr)
	}
	server := servers[0]
	if !bytes.Equal(server.ParentSpanId, wantParent) || !bytes.Equal(checks[0].ParentSpanId, server.SpanId) ||
		!bytes.Equal(trips[0].ParentSpanId, server.SpanId) || attr(server, "gatehouse.gateway.route") != "api" {
		t.Fatalf("server %v, token check %v, round trip %v", server, checks[0], trips[0])
	}
	if want := "00-" + traceID + "-" + hex.EncodeToString(trips[0].SpanId) + "-01"; upstreamTP != want {
		t.Fatalf("upstream traceparent %q, want %q", upstreamTP, want)
	}
	if !strings.Contains(p.stderr.String(), `"trace_id":"`+traceID+`"`) {
		t.Fatalf("the access log has no trace_id:\n%s", p.stderr)
	}
	for _, s := range tr {
		for _, a := range s.Attributes {
			if v := a.GetValue().String(); strings.Contains(v, tok[:20]) || strings.Contains(v, "alice") || strings.Contains(v, "/api/x") {
				t.Errorf("span %q attribute %s = %s", s.Name, a.Key, v)
			}
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.service) == 0 || rec.service[0] != "gatehouse-gateway" {
		t.Errorf("service.name %v", rec.service)
	}
}
