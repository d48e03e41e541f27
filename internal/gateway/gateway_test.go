package gateway_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/gateway"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// stubConfig: billing (jwt, scopes, strip_prefix), mfa (acr), eu
// (region), geo (region_upstreams), public (none), maybe (optional),
// limited (rate limit per subject), byip (per ip), slow (1 s timeout),
// dead (nothing listens), cors.
func stubConfig(iss, up, eu, us, dead string) string {
	return `
listen: 127.0.0.1:0
issuer: ` + iss + `
routes:
  - name: billing
    match: { path_prefix: /billing/, methods: [GET, POST] }
    upstream: ` + up + `
    strip_prefix: true
    auth: { mode: jwt, audience: ` + billingAud + `, scopes: [invoices:read] }
  - name: hosted
    match: { path_prefix: /hosted/, host: api.example.com }
    upstream: ` + up + `
    auth: { mode: jwt, audience: ` + billingAud + ` }
  - name: bare
    match: { path_prefix: /bare/ }
    upstream: ` + up + `
    strip_authorization: true
    auth: { mode: jwt, audience: ` + billingAud + ` }
  - name: mfa
    match: { path_prefix: /mfa/ }
    upstream: ` + up + `
    auth: { mode: jwt, audience: ` + billingAud + `, scopes: [invoices:read], acr: urn:gatehouse:acr:mfa }
  - name: eu
    match: { path_prefix: /eu/ }
    upstream: ` + eu + `
    auth: { mode: jwt, audience: ` + billingAud + ` }
    region: eu
  - name: geo
    match: { path_prefix: /geo/ }
    region_upstreams: { eu: ` + eu + `, us: ` + us + ` }
    auth: { mode: jwt, audience: ` + billingAud + ` }
  - name: public
    match: { path_prefix: /public/ }
    upstream: ` + up + `
    auth: { mode: none }
  - name: maybe
    match: { path_prefix: /maybe/ }
    upstream: ` + up + `
    auth: { mode: optional }
  - name: limited
    match: { path_prefix: /limited/ }
    upstream: ` + up + `
    auth: { mode: jwt, audience: ` + billingAud + ` }
    rate_limit: { per: subject, requests: 3, window_seconds: 60 }
  - name: byip
    match: { path_prefix: /byip/ }
    upstream: ` + up + `
    auth: { mode: none }
    rate_limit: { per: ip, requests: 2, window_seconds: 60 }
  - name: slow
    match: { path_prefix: /slowroute/ }
    upstream: ` + up + `
    timeout_seconds: 1
    auth: { mode: none }
  - name: dead
    match: { path_prefix: /dead/ }
    upstream: ` + dead + `
    auth: { mode: none }
  - name: cors
    match: { path_prefix: /cors/, methods: [GET] }
    upstream: ` + up + `
    auth: { mode: jwt, audience: ` + billingAud + ` }
    cors: { allowed_origins: [https://app.example.com], allowed_methods: [GET], max_age_seconds: 600 }
`
}

// deadURL is an address where nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

func b64(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func slogTo(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func newServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

type stub struct {
	is         *issuer
	up, eu, us *upstream
	g          *gateway.Gateway
	url        string
	logs       *logBuf
	dead       string
}

func newStub(t *testing.T) *stub {
	s := &stub{is: newIssuer(t), up: newUpstream(t, "main"), eu: newUpstream(t, "eu"), us: newUpstream(t, "us"), dead: deadURL(t)}
	s.g, s.url, s.logs = startGateway(t, stubConfig(s.is.URL, s.up.URL, s.eu.URL, s.us.URL, s.dead), gateway.Options{TrustedProxies: loopback()})
	return s
}

func TestConfigRejectsBadFiles(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"unknown key":        {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: none}, upstrem: http://y}]", "field upstrem not found"},
		"empty":              {"", "empty file"},
		"no issuer":          {"routes: [{name: a, match: {path_prefix: /}, auth: {mode: none}}]", "issuer: required"},
		"no routes":          {"issuer: http://x", "at least one route"},
		"bad mode":           {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: jwks}}]", `"jwks" is not one of`},
		"jwt no audience":    {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: jwt}}]", "audience: required"},
		"introspect no cred": {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: introspect, audience: x}}]", "needs the top-level introspection"},
		"duplicate":          {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: none}}, {name: a, match: {path_prefix: /b}, auth: {mode: none}}]", "duplicate"},
		"reserved path":      {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: /forward-auth}, auth: {mode: none}}]", "gateway's own endpoint"},
		"bad per":            {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: none}, rate_limit: {per: user, requests: 1, window_seconds: 1}}]", `"user" is not subject`},
		"per subject no tok": {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: none}, rate_limit: {per: subject, requests: 1, window_seconds: 1}}]", "needs a token"},
		"region both":        {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: jwt, audience: x}, region: eu, region_upstreams: {eu: http://e}}]", "exclude each other"},
		"bad upstream":       {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: none}, upstream: 'ftp://y'}]", "not an http(s) base URL"},
		"hmac alg":           {"issuer: http://x\nalgorithms: [HS256]\nroutes: [{name: a, match: {path_prefix: /}, auth: {mode: none}}]", `"HS256" is not an asymmetric`},
		"relative prefix":    {"issuer: http://x\nroutes: [{name: a, match: {path_prefix: billing}, auth: {mode: none}}]", "must start with /"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := gateway.Parse([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
	// Every problem at once.
	_, err := gateway.Parse([]byte("issuer: ftp://x\nroutes: [{name: a, match: {path_prefix: x}, auth: {mode: jwt}}]"))
	if err == nil || strings.Count(err.Error(), "\n") < 2 {
		t.Fatalf("want all errors, got %v", err)
	}
}

func TestJWTRefusals(t *testing.T) {
	s := newStub(t)
	now := time.Now()
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for name, tc := range map[string]struct {
		token  func() string
		path   string
		status int
		www    []string // substrings of WWW-Authenticate
		typ    string
	}{
		"missing":          {func() string { return "" }, "/billing/x", 401, []string{`error="invalid_token"`}, httpx.TypeUnauthorized},
		"garbage":          {func() string { return "not.a.jwt" }, "/billing/x", 401, []string{`error="invalid_token"`}, httpx.TypeUnauthorized},
		"expired":          {func() string { return s.is.token(t, map[string]any{"exp": now.Add(-time.Minute).Unix()}) }, "/billing/x", 401, []string{`error="invalid_token"`}, httpx.TypeUnauthorized},
		"not yet valid":    {func() string { return s.is.token(t, map[string]any{"nbf": now.Add(time.Minute).Unix()}) }, "/billing/x", 401, []string{`invalid_token`}, httpx.TypeUnauthorized},
		"no exp":           {func() string { return s.is.token(t, map[string]any{"exp": nil}) }, "/billing/x", 401, []string{`invalid_token`}, httpx.TypeUnauthorized},
		"other issuer":     {func() string { return s.is.token(t, map[string]any{"iss": "https://evil.example"}) }, "/billing/x", 401, []string{`invalid_token`}, httpx.TypeUnauthorized},
		"other audience":   {func() string { return s.is.token(t, map[string]any{"aud": "https://api.example.com/reports"}) }, "/billing/x", 401, []string{`invalid_token`}, httpx.TypeUnauthorized},
		"id token typ":     {func() string { return s.is.sign(t, "JWT", nil, nil) }, "/billing/x", 401, []string{`invalid_token`}, httpx.TypeUnauthorized},
		"no typ":           {func() string { return s.is.sign(t, "", nil, nil) }, "/billing/x", 401, []string{`invalid_token`}, httpx.TypeUnauthorized},
		"forged signature": {func() string { return s.is.sign(t, "at+jwt", other, nil) }, "/billing/x", 401, []string{`invalid_token`}, httpx.TypeUnauthorized},
		"alg none":         {func() string { return noneToken(s.is.URL) }, "/billing/x", 401, []string{`invalid_token`}, httpx.TypeUnauthorized},
		"missing scope": {func() string { return s.is.token(t, map[string]any{"scope": "invoices:write"}) }, "/billing/x", 403,
			[]string{`error="insufficient_scope"`, `scope="invoices:read"`}, gateway.TypeInsufficientScope},
		"weak acr": {func() string { return s.is.token(t, map[string]any{"acr": "urn:gatehouse:acr:password"}) }, "/mfa/x", 403,
			[]string{`error="insufficient_scope"`, `acr_values="urn:gatehouse:acr:mfa"`, `scope="invoices:read"`}, gateway.TypeInsufficientScope},
		"wrong region":      {func() string { return s.is.token(t, map[string]any{"region": "us"}) }, "/eu/x", 403, nil, gateway.TypeWrongRegion},
		"no region":         {func() string { return s.is.token(t, nil) }, "/eu/x", 403, nil, gateway.TypeWrongRegion},
		"unmapped region":   {func() string { return s.is.token(t, map[string]any{"region": "ap"}) }, "/geo/x", 403, nil, gateway.TypeWrongRegion},
		"bad optional":      {func() string { return "garbage" }, "/maybe/x", 401, []string{`invalid_token`}, httpx.TypeUnauthorized},
		"no route":          {func() string { return "" }, "/nowhere", 404, nil, httpx.TypeNotFound},
		"method not routed": {func() string { return "" }, "/cors/x", 405, nil, httpx.TypeMethodNotAllowed},
		"climbs out":        {func() string { return "" }, "/public/../../etc/passwd", 400, nil, httpx.TypeValidation},
		"host not matched":  {func() string { return s.is.token(t, nil) }, "/hosted/x", 404, nil, httpx.TypeNotFound},
	} {
		t.Run(name, func(t *testing.T) {
			method := "GET"
			if name == "method not routed" {
				method = "DELETE"
			}
			before := s.up.count() + s.eu.count() + s.us.count()
			r := call(t, method, s.url+tc.path, tc.token(), nil)
			wantProblem(t, r, tc.status, tc.typ)
			for _, w := range tc.www {
				if got := r.Header.Get("WWW-Authenticate"); !strings.Contains(got, w) || !strings.HasPrefix(got, "Bearer ") {
					t.Fatalf("WWW-Authenticate %q lacks %q", got, w)
				}
			}
			if after := s.up.count() + s.eu.count() + s.us.count(); after != before {
				t.Fatal("a refused request reached an upstream")
			}
		})
	}
}

// noneToken is an unsigned token (alg none) with good claims.
func noneToken(iss string) string {
	enc := func(s string) string { return strings.TrimRight(b64(s), "=") }
	return enc(`{"alg":"none","typ":"at+jwt"}`) + "." + enc(`{"iss":"`+iss+`","sub":"admin","aud":"`+billingAud+`","scope":"invoices:read","exp":`+
		itoa(time.Now().Add(time.Hour).Unix())+`}`) + "."
}

func TestJWTAllowed(t *testing.T) {
	s := newStub(t)
	tok := s.is.token(t, map[string]any{"region": "eu", "tenant_id": "tn-1", "org_id": "org-9", "scope": "openid invoices:read"})
	r := call(t, "GET", s.url+"/billing/invoices/7?x=1", tok, map[string]string{"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	h := r.Seen.Header
	if r.Seen.Path != "/invoices/7" || r.Seen.Query != "x=1" {
		t.Fatalf("strip_prefix: upstream saw %q ? %q", r.Seen.Path, r.Seen.Query)
	}
	for k, want := range map[string]string{"X-Gatehouse-Subject": "user-1", "X-Gatehouse-Client-Id": "client-1",
		"X-Gatehouse-Scopes": "openid invoices:read", "X-Gatehouse-Tenant": "tn-1", "X-Gatehouse-Region": "eu", "X-Gatehouse-Org": "org-9",
		"Authorization": "Bearer " + tok, "Traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"} {
		if got := h.Get(k); got != want {
			t.Errorf("upstream %s = %q, want %q", k, got, want)
		}
	}
	// Scopes are also satisfied by the permissions claim (RBAC APIs).
	perm := s.is.token(t, map[string]any{"scope": "", "permissions": []string{"invoices:read"}})
	if r := call(t, "GET", s.url+"/billing/x", perm, nil); r.Status != 200 {
		t.Fatalf("permissions: %d %s", r.Status, r.Body)
	}
	// Expired by less than the leeway (5 s) still passes.
	skew := s.is.token(t, map[string]any{"exp": time.Now().Add(-2 * time.Second).Unix()})
	if r := call(t, "GET", s.url+"/billing/x", skew, nil); r.Status != 200 {
		t.Fatalf("leeway: %d %s", r.Status, r.Body)
	}
	// acr step-up satisfied.
	mfa := s.is.token(t, map[string]any{"acr": "urn:gatehouse:acr:mfa"})
	if r := call(t, "GET", s.url+"/mfa/x", mfa, nil); r.Status != 200 {
		t.Fatalf("acr: %d %s", r.Status, r.Body)
	}
	// Host match.
	if r := call(t, "GET", s.url+"/hosted/x", tok, map[string]string{"Host": "API.example.com:443"}); r.Status != 200 {
		t.Fatalf("host: %d %s", r.Status, r.Body)
	}
	// strip_authorization.
	if r := call(t, "GET", s.url+"/bare/x", tok, nil); r.Status != 200 || r.Seen.Header.Get("Authorization") != "" {
		t.Fatalf("strip_authorization: %d, upstream saw %q", r.Status, r.Seen.Header.Get("Authorization"))
	}
	// Optional: anonymous passes without identity; a good token adds it.
	if r := call(t, "GET", s.url+"/maybe/x", "", nil); r.Status != 200 || r.Seen.Header.Get("X-Gatehouse-Subject") != "" {
		t.Fatalf("optional anonymous: %d %v", r.Status, r.Seen.Header)
	}
	if r := call(t, "GET", s.url+"/maybe/x", tok, nil); r.Status != 200 || r.Seen.Header.Get("X-Gatehouse-Subject") != "user-1" {
		t.Fatalf("optional with token: %d %v", r.Status, r.Seen.Header)
	}
}

func TestResidency(t *testing.T) {
	s := newStub(t)
	eu := s.is.token(t, map[string]any{"region": "eu"})
	us := s.is.token(t, map[string]any{"region": "us"})
	if r := call(t, "GET", s.url+"/eu/x", eu, nil); r.Status != 200 || r.Seen.Name != "eu" {
		t.Fatalf("eu route: %d %s", r.Status, r.Body)
	}
	if r := call(t, "GET", s.url+"/geo/x", eu, nil); r.Status != 200 || r.Seen.Name != "eu" {
		t.Fatalf("geo eu: %d %s", r.Status, r.Body)
	}
	if r := call(t, "GET", s.url+"/geo/x", us, nil); r.Status != 200 || r.Seen.Name != "us" {
		t.Fatalf("geo us: %d %s", r.Status, r.Body)
	}
	// A client cannot pick its region with a header.
	if r := call(t, "GET", s.url+"/eu/x", us, map[string]string{"X-Gatehouse-Region": "eu"}); r.Status != 403 {
		t.Fatalf("spoofed region header: %d", r.Status)
	}
}

func TestIdentityHeadersCannotBeSpoofed(t *testing.T) {
	s := newStub(t)
	spoof := map[string]string{"X-Gatehouse-Subject": "admin", "x-gatehouse-org": "org-admin", "X_Gatehouse_Subject": "admin",
		"X-GATEHOUSE-SCOPES": "admin:all", "x_gatehouse_tenant": "t0", "X-Gatehouse-Anything": "1"}
	check := func(r reply, wantSub string) {
		t.Helper()
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		for k, vs := range r.Seen.Header {
			n := strings.ToLower(strings.ReplaceAll(k, "_", "-"))
			if strings.HasPrefix(n, "x-gatehouse-") && !(k == "X-Gatehouse-Subject" && vs[0] == wantSub && len(vs) == 1) &&
				!(k == "X-Gatehouse-Client-Id" || k == "X-Gatehouse-Scopes" && vs[0] == "invoices:read") {
				t.Fatalf("upstream got %s: %v", k, vs)
			}
		}
		if got := r.Seen.Header.Values("X-Gatehouse-Subject"); wantSub != "" && (len(got) != 1 || got[0] != wantSub) {
			t.Fatalf("subject %v", got)
		}
	}
	check(call(t, "GET", s.url+"/public/x", "", spoof), "")                        // no auth at all
	check(call(t, "GET", s.url+"/maybe/x", "", spoof), "")                         // anonymous
	check(call(t, "GET", s.url+"/billing/x", s.is.token(t, nil), spoof), "user-1") // authenticated
}

func TestPathTricks(t *testing.T) {
	s := newStub(t)
	tok := s.is.token(t, nil)
	// Paths are normalised before matching, and the upstream gets the
	// normalised path: /public/../billing is billing, and needs a token.
	for _, p := range []string{"/public/../billing/x", "/public/%2e%2e/billing/x", "/public/.%2E/billing/x", "//billing/x", "/public/./../billing/x"} {
		r := call(t, "GET", s.url+p, "", nil)
		wantProblem(t, r, 401, httpx.TypeUnauthorized)
	}
	r := call(t, "GET", s.url+"//billing//a/./b/", tok, nil)
	if r.Status != 200 || r.Seen.Path != "/a/b/" {
		t.Fatalf("normalised: %d path %q", r.Status, r.Seen.Path)
	}
	if r := call(t, "GET", s.url+"/public/a/../b", "", nil); r.Status != 200 || r.Seen.Path != "/public/b" {
		t.Fatalf("upstream path %q", r.Seen.Path)
	}
}

func TestRateLimitInMemory(t *testing.T) {
	s := newStub(t)
	a := s.is.token(t, map[string]any{"sub": "alice"})
	b := s.is.token(t, map[string]any{"sub": "bob"})
	for i := range 3 {
		r := call(t, "GET", s.url+"/limited/x", a, nil)
		if r.Status != 200 {
			t.Fatalf("request %d: %d", i, r.Status)
		}
		if r.Header.Get("RateLimit-Policy") != `"limited";q=3;w=60` || !strings.HasPrefix(r.Header.Get("RateLimit"), `"limited";r=`+itoa(int64(2-i))+";t=") {
			t.Fatalf("headers %q %q", r.Header.Get("RateLimit-Policy"), r.Header.Get("RateLimit"))
		}
	}
	before := s.up.count()
	r := call(t, "GET", s.url+"/limited/x", a, nil)
	wantProblem(t, r, 429, httpx.TypeRateLimited)
	if r.Header.Get("Retry-After") == "" || r.Header.Get("RateLimit-Policy") == "" || !strings.Contains(r.Header.Get("RateLimit"), ";r=0;") {
		t.Fatalf("429 headers %v", r.Header)
	}
	if s.up.count() != before {
		t.Fatal("a limited request reached the upstream")
	}
	// Another subject has its own budget.
	if r := call(t, "GET", s.url+"/limited/x", b, nil); r.Status != 200 {
		t.Fatalf("bob: %d", r.Status)
	}
	// Per IP.
	_ = call(t, "GET", s.url+"/byip/x", "", nil)
	_ = call(t, "GET", s.url+"/byip/x", "", nil)
	wantProblem(t, call(t, "GET", s.url+"/byip/x", "", nil), 429, httpx.TypeRateLimited)
}

func TestUpstreamFailures(t *testing.T) {
	s := newStub(t)
	wantProblem(t, call(t, "GET", s.url+"/dead/x", "", nil), 502, gateway.TypeBadGateway)
	wantProblem(t, call(t, "GET", s.url+"/slowroute/slow", "", nil), 504, gateway.TypeGatewayTimeout)
	// An upstream's own 429 and 401 pass through unchanged (Oathkeeper
	// turned a 429 into a 401).
	r := call(t, "GET", s.url+"/public/status/429", "", nil)
	if r.Status != 429 || r.Header.Get("Retry-After") != "7" {
		t.Fatalf("upstream 429 became %d %v", r.Status, r.Header)
	}
	if r := call(t, "GET", s.url+"/public/status/401", "", nil); r.Status != 401 {
		t.Fatalf("upstream 401 became %d", r.Status)
	}
	// The dead upstream's breaker opens after 5 failures: 503 without dialing.
	for range 5 {
		call(t, "GET", s.url+"/dead/x", "", nil)
	}
	r = call(t, "GET", s.url+"/dead/x", "", nil)
	wantProblem(t, r, 503, httpx.TypeUnavailable)
	m := call(t, "GET", s.url+"/metrics", "", nil)
	for _, want := range []string{`gatehouse_gateway_upstream_errors_total{kind="unreachable",route="dead"}`,
		`gatehouse_gateway_upstream_errors_total{kind="timeout",route="slow"} 1`,
		`gatehouse_gateway_upstream_errors_total{kind="circuit_open",route="dead"}`,
		`gatehouse_gateway_retries_total{upstream="` + strings.TrimPrefix(s.dead, "http://") + `"}`} {
		if !strings.Contains(string(m.Body), want) {
			t.Fatalf("metrics lack %s:\n%s", want, m.Body)
		}
	}
}

func TestRetriesOnlyIdempotent(t *testing.T) {
	s := newStub(t)
	get := call(t, "GET", s.url+"/dead/a", "", nil)
	post := call(t, "POST", s.url+"/dead/b", "", nil)
	if get.Status != 502 || post.Status != 502 {
		t.Fatalf("%d %d", get.Status, post.Status)
	}
	m := string(call(t, "GET", s.url+"/metrics", "", nil).Body)
	// One retry for the GET, none for the POST.
	if !strings.Contains(m, `gatehouse_gateway_retries_total{upstream="`+strings.TrimPrefix(s.dead, "http://")+`"} 1`) {
		t.Fatalf("retries:\n%s", m)
	}
}

func TestMetricsAccessLogCORSAndWebSockets(t *testing.T) {
	s := newStub(t)
	tok := s.is.token(t, map[string]any{"sub": "carol"})
	call(t, "GET", s.url+"/billing/x", tok, nil)
	call(t, "GET", s.url+"/billing/x", "", nil)
	m := string(call(t, "GET", s.url+"/metrics", "", nil).Body)
	for _, want := range []string{`gatehouse_gateway_requests_total{code="200",route="billing"} 1`,
		`gatehouse_gateway_requests_total{code="401",route="billing"} 1`,
		`gatehouse_gateway_refusals_total{reason="no_token",route="billing"} 1`,
		`gatehouse_gateway_request_duration_seconds_count{route="billing"} 2`} {
		if !strings.Contains(m, want) {
			t.Fatalf("metrics lack %s:\n%s", want, m)
		}
	}
	logs := s.logs.String()
	if !strings.Contains(logs, `"msg":"gateway request","route":"billing"`) || !strings.Contains(logs, `"subject":"carol","client_id":"client-1"`) ||
		!strings.Contains(logs, `"latency_ms":`) {
		t.Fatalf("access log:\n%s", logs)
	}
	if strings.Contains(logs, tok) {
		t.Fatal("the token is in the log")
	}

	// CORS: the preflight needs no token; other origins get no grant.
	pre := call(t, "OPTIONS", s.url+"/cors/x", "", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"})
	if pre.Status != 204 || pre.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" || pre.Header.Get("Access-Control-Max-Age") != "600" {
		t.Fatalf("preflight %d %v", pre.Status, pre.Header)
	}
	evil := call(t, "OPTIONS", s.url+"/cors/x", "", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
	if evil.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("evil origin allowed: %v", evil.Header)
	}
	act := call(t, "GET", s.url+"/cors/x", tok, map[string]string{"Origin": "https://app.example.com"})
	if act.Status != 200 || act.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Fatalf("actual %d %v", act.Status, act.Header)
	}
	// Refusals carry CORS headers too, so the browser app can read them.
	if r := call(t, "GET", s.url+"/cors/x", "", map[string]string{"Origin": "https://app.example.com"}); r.Status != 401 || r.Header.Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("refusal %d %v", r.Status, r.Header)
	}

	// WebSockets pass through once authorised.
	if got := rawWS(t, s.url, "/billing/ws", tok); got != "echo hello\n" {
		t.Fatalf("websocket echo %q", got)
	}
}

func TestKeyRotationAtTheIssuer(t *testing.T) {
	s := newStub(t)
	old := s.is.token(t, nil)
	if r := call(t, "GET", s.url+"/billing/x", old, nil); r.Status != 200 {
		t.Fatal(r.Status)
	}
	n := s.is.fetches()
	s.is.rotate()
	fresh := s.is.token(t, nil)
	if r := call(t, "GET", s.url+"/billing/x", fresh, nil); r.Status != 200 {
		t.Fatalf("new key not picked up: %d %s", r.Status, r.Body)
	}
	if s.is.fetches() != n+1 {
		t.Fatalf("JWKS fetched %d times after the rotation, want once", s.is.fetches()-n)
	}
	// Known keys cost no fetch; the old key still verifies.
	call(t, "GET", s.url+"/billing/x", fresh, nil)
	if r := call(t, "GET", s.url+"/billing/y", old, nil); r.Status != 200 || s.is.fetches() != n+1 {
		t.Fatalf("old key: %d, fetches %d", r.Status, s.is.fetches()-n)
	}
}

func TestReloadKeepsOldConfigWhenInvalid(t *testing.T) {
	is := newIssuer(t)
	up := newUpstream(t, "main")
	dir := t.TempDir()
	path := filepath.Join(dir, "gateway.yaml")
	write := func(s string) {
		t.Helper()
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	cfgA := "issuer: " + is.URL + "\nroutes:\n  - {name: a, match: {path_prefix: /a/}, upstream: " + up.URL + ", auth: {mode: none}}\n"
	cfgB := cfgA + "  - {name: b, match: {path_prefix: /b/}, upstream: " + up.URL + ", auth: {mode: none}}\n"
	write(cfgA)
	cfg, err := gateway.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuf{}
	g, err := gateway.New(cfg, gateway.Options{Log: slogTo(logs)})
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, g)
	hup := make(chan os.Signal, 1)
	go g.Watch(t.Context(), path, hup, 20*time.Millisecond)
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s never happened; log:\n%s", what, logs.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if call(t, "GET", srv+"/b/x", "", nil).Status != 404 {
		t.Fatal("route b before reload")
	}
	write(cfgB) // file change
	waitFor("reload on file change", func() bool { return call(t, "GET", srv+"/b/x", "", nil).Status == 200 })
	write("issuer: " + is.URL + "\nroutes:\n  - {name: a, match: {path_prefix: /a/}, auth: {mode: jwt}}\n") // invalid: no audience
	waitFor("rejection logged", func() bool {
		return strings.Contains(logs.String(), "config reload rejected, keeping the previous configuration")
	})
	if call(t, "GET", srv+"/b/x", "", nil).Status != 200 || call(t, "GET", srv+"/a/x", "", nil).Status != 200 {
		t.Fatal("the old configuration was not kept")
	}
	if !strings.Contains(logs.String(), "audience: required") {
		t.Fatalf("the log does not say why:\n%s", logs.String())
	}
	// SIGHUP reloads a file the poller has already seen.
	write(cfgA)
	waitFor("reload back to A", func() bool { return call(t, "GET", srv+"/b/x", "", nil).Status == 404 })
	hup <- os.Interrupt
	waitFor("SIGHUP reload", func() bool { return strings.Contains(logs.String(), `"trigger":"SIGHUP"`) })
}

// BenchmarkProxy is one GET through the gateway (jwt route, cached token)
// to a loopback upstream, against the same GET straight to the upstream.
func BenchmarkProxy(b *testing.B) {
	is := newIssuer(b)
	up := newUpstream(b, "main")
	_, u, _ := startGateway(b, "issuer: "+is.URL+"\nroutes:\n  - {name: billing, match: {path_prefix: /billing/}, upstream: "+up.URL+
		", strip_prefix: true, auth: {mode: jwt, audience: '"+billingAud+"', scopes: [invoices:read]}}\n", gateway.Options{Log: slog.New(slog.DiscardHandler)})
	tok := is.token(b, nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	get := func(b *testing.B, url string) {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.StatusCode)
		}
	}
	b.Run("upstream", func(b *testing.B) {
		for b.Loop() {
			get(b, up.URL+"/x")
		}
	})
	b.Run("gateway", func(b *testing.B) {
		for b.Loop() {
			get(b, u+"/billing/x")
		}
	})
}

// BenchmarkProxyParallel is BenchmarkProxy's gateway case with 32
// concurrent clients, as wrk drives it.
func BenchmarkProxyParallel(b *testing.B) {
	is := newIssuer(b)
	up := newUpstream(b, "main")
	_, u, _ := startGateway(b, "issuer: "+is.URL+"\nroutes:\n  - {name: billing, match: {path_prefix: /billing/}, upstream: "+up.URL+
		", strip_prefix: true, auth: {mode: jwt, audience: '"+billingAud+"', scopes: [invoices:read]}}\n", gateway.Options{Log: slog.New(slog.DiscardHandler)})
	tok := is.token(b, nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", u+"/billing/x", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
	})
}

func TestActiveHealthCheck(t *testing.T) {
	var healthy atomic.Bool
	healthy.Store(true)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" && !healthy.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(up.Close)
	is := newIssuer(t)
	_, u, logs := startGateway(t, "issuer: "+is.URL+"\nroutes:\n  - {name: hc, match: {path_prefix: /}, upstream: "+up.URL+
		", auth: {mode: none}, health_check: {path: /health, interval_seconds: 1}}\n", gateway.Options{})
	waitUntil := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s never happened:\n%s", what, logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if r := call(t, "GET", u+"/x", "", nil); r.Status != 200 {
		t.Fatal(r.Status)
	}
	healthy.Store(false)
	waitUntil("the upstream taken out", func() bool { return call(t, "GET", u+"/x", "", nil).Status == 503 })
	if !strings.Contains(string(call(t, "GET", u+"/metrics", "", nil).Body), "gatehouse_gateway_upstream_healthy{upstream=\""+strings.TrimPrefix(up.URL, "http://")+"\"} 0") {
		t.Fatal("health gauge not 0")
	}
	healthy.Store(true)
	waitUntil("the upstream back", func() bool { return call(t, "GET", u+"/x", "", nil).Status == 200 })
}

// TestIssuerDown: without the issuer's keys nothing is known about a
// token: 503, not 401 and never a pass.
func TestIssuerDown(t *testing.T) {
	is := newIssuer(t)
	tok := is.token(t, nil)
	dead := deadURL(t)
	up := newUpstream(t, "main")
	_, u, _ := startGateway(t, "issuer: "+dead+"\nroutes:\n  - {name: a, match: {path_prefix: /}, upstream: "+up.URL+
		", auth: {mode: jwt, audience: '"+billingAud+"'}}\n", gateway.Options{})
	r := call(t, "GET", u+"/x", tok, nil)
	wantProblem(t, r, 503, httpx.TypeUnavailable)
	if r.Header.Get("Retry-After") == "" || up.count() != 0 {
		t.Fatalf("retry-after %q, upstream hits %d", r.Header.Get("Retry-After"), up.count())
	}
}
