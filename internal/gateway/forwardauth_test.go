package gateway_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/gateway"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

func TestForwardAuth(t *testing.T) {
	s := newStub(t)
	tok := s.is.token(t, map[string]any{"region": "eu", "org_id": "org-1"})
	fa := s.url + "/forward-auth"
	nginx := func(uri, method string) map[string]string {
		return map[string]string{"X-Original-URI": uri, "X-Original-Method": method}
	}
	traefik := func(uri, method, host string) map[string]string {
		return map[string]string{"X-Forwarded-Uri": uri, "X-Forwarded-Method": method, "X-Forwarded-Host": host}
	}

	r := call(t, "GET", fa, tok, nginx("/billing/invoices?x=1", "GET"))
	if r.Status != 200 || r.Header.Get("X-Gatehouse-Subject") != "user-1" || r.Header.Get("X-Gatehouse-Scopes") != "invoices:read" ||
		r.Header.Get("X-Gatehouse-Region") != "eu" || r.Header.Get("X-Gatehouse-Org") != "org-1" || r.Header.Get("X-Gatehouse-Client-Id") != "client-1" {
		t.Fatalf("nginx allowed: %d %v %s", r.Status, r.Header, r.Body)
	}
	if r := call(t, "GET", fa, tok, traefik("/hosted/x", "GET", "api.example.com")); r.Status != 200 {
		t.Fatalf("traefik host route: %d %s", r.Status, r.Body)
	}
	// Refusals are the proxy path's.
	wantProblem(t, call(t, "GET", fa, "", nginx("/billing/x", "GET")), 401, httpx.TypeUnauthorized)
	r = call(t, "GET", fa, s.is.token(t, map[string]any{"scope": "x"}), traefik("/billing/x", "POST", "h"))
	wantProblem(t, r, 403, gateway.TypeInsufficientScope)
	if !strings.Contains(r.Header.Get("WWW-Authenticate"), `scope="invoices:read"`) {
		t.Fatalf("www-authenticate %q", r.Header.Get("WWW-Authenticate"))
	}
	wantProblem(t, call(t, "GET", fa, s.is.token(t, map[string]any{"region": "us"}), nginx("/eu/x", "GET")), 403, gateway.TypeWrongRegion)
	wantProblem(t, call(t, "GET", fa, tok, nginx("/billing/x", "DELETE")), 403, httpx.TypeForbidden) // no route takes DELETE
	wantProblem(t, call(t, "GET", fa, tok, nil), 400, httpx.TypeValidation)
	// Rate limits count forward-auth decisions.
	a := s.is.token(t, map[string]any{"sub": "dave"})
	for range 3 {
		if r := call(t, "GET", fa, a, nginx("/limited/x", "GET")); r.Status != 200 || r.Header.Get("RateLimit-Policy") == "" {
			t.Fatalf("limited: %d %v", r.Status, r.Header)
		}
	}
	r = call(t, "GET", fa, a, nginx("/limited/x", "GET"))
	wantProblem(t, r, 429, httpx.TypeRateLimited)
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}

	// Path tricks in the described URI: fragments, dot segments,
	// encoded dots and double slashes are resolved before matching, so
	// /public/../billing is billing and needs a token.
	for _, uri := range []string{"/public/../billing/x", "/public/%2e%2e/billing/x", "/public/%2E./billing/x", "//billing/x",
		"/public/x/../../billing/x?y=#", "/public%2f..%2fbilling/x"} {
		if r := call(t, "GET", fa, "", nginx(uri, "GET")); r.Status != 401 {
			t.Fatalf("%q: %d %s", uri, r.Status, r.Body)
		}
	}
	// A fragment never reaches a server: what follows # is not the path.
	if r := call(t, "GET", fa, "", nginx("/public/x#/../../billing/x", "GET")); r.Status != 200 {
		t.Fatalf("fragment: %d %s", r.Status, r.Body)
	}
	for _, uri := range []string{"/public/../../x", "/public/%zz", "/public/a%00b", "public/x"} {
		if r := call(t, "GET", fa, "", nginx(uri, "GET")); r.Status != 400 {
			t.Fatalf("%q: %d %s", uri, r.Status, r.Body)
		}
	}
	// Envoy ext_authz: the original method and path after /forward-auth.
	if r := call(t, "POST", fa+"/billing/x", tok, nil); r.Status != 200 || r.Header.Get("X-Gatehouse-Subject") != "user-1" {
		t.Fatalf("envoy style: %d %s", r.Status, r.Body)
	}
	if r := call(t, "DELETE", fa+"/public/../billing/x", "", nil); r.Status != 401 && r.Status != 403 {
		t.Fatalf("envoy style trick: %d %s", r.Status, r.Body)
	}
}

// TestForwardAuthTrustsOnlyConfiguredProxies: from a peer outside
// GATEHOUSE_TRUSTED_PROXIES the X-Original-*/X-Forwarded-* headers are a
// client's word (oauth2-proxy believed them from anyone).
func TestForwardAuthTrustsOnlyConfiguredProxies(t *testing.T) {
	is := newIssuer(t)
	up := newUpstream(t, "main")
	_, u, _ := startGateway(t, stubConfig(is.URL, up.URL, up.URL, up.URL, up.URL), gateway.Options{})
	r := call(t, "GET", u+"/forward-auth", "", map[string]string{"X-Original-URI": "/public/x", "X-Original-Method": "GET"})
	wantProblem(t, r, 403, httpx.TypeForbidden)
	// And the proxy path ignores a spoofed X-Forwarded-For for rate limits.
	for i := range 2 {
		call(t, "GET", u+"/byip/x", "", map[string]string{"X-Forwarded-For": "198.51.100." + itoa(int64(i))})
	}
	wantProblem(t, call(t, "GET", u+"/byip/x", "", map[string]string{"X-Forwarded-For": "198.51.100.77"}), 429, httpx.TypeRateLimited)
	r = call(t, "GET", u+"/public/x", "", map[string]string{"X-Forwarded-For": "198.51.100.9", "X-Forwarded-Host": "evil.example"})
	if xff := r.Seen.Header.Get("X-Forwarded-For"); xff != "127.0.0.1" || r.Seen.Header.Get("X-Forwarded-Host") == "evil.example" {
		t.Fatalf("upstream got X-Forwarded-For %q, host %q", xff, r.Seen.Header.Get("X-Forwarded-Host"))
	}
}

// TestRateLimitSharedThroughRedis: two gateways on one Redis share each
// route's budget.
func TestRateLimitSharedThroughRedis(t *testing.T) {
	url := os.Getenv("GATEHOUSE_TEST_REDIS_URL")
	if url == "" {
		t.Skip("GATEHOUSE_TEST_REDIS_URL not set: skipping the shared rate-limit test")
	}
	is := newIssuer(t)
	up := newUpstream(t, "main")
	route := "shared" + strings.ToLower(strings.ReplaceAll(time.Now().Format("150405.000000"), ".", ""))
	cfg := "issuer: " + is.URL + "\nroutes:\n  - {name: " + route + ", match: {path_prefix: /s/}, upstream: " + up.URL +
		", auth: {mode: jwt, audience: '" + billingAud + "'}, rate_limit: {per: subject, requests: 4, window_seconds: 60}}\n"
	open := func() ratelimit.Store {
		st, err := ratelimit.Open(url)
		if err != nil {
			t.Fatalf("GATEHOUSE_TEST_REDIS_URL is set but Redis is unusable: %v", err)
		}
		t.Cleanup(func() { _ = st.Close() })
		return st
	}
	_, a, _ := startGateway(t, cfg, gateway.Options{Limiter: open()})
	_, b, _ := startGateway(t, cfg, gateway.Options{Limiter: open()})
	tok := is.token(t, map[string]any{"sub": "erin-" + route})
	for i, u := range []string{a, b, a, b} {
		if r := call(t, "GET", u+"/s/x", tok, nil); r.Status != 200 {
			t.Fatalf("request %d: %d %s", i, r.Status, r.Body)
		}
	}
	for _, u := range []string{a, b} {
		r := call(t, "GET", u+"/s/x", tok, nil)
		wantProblem(t, r, 429, httpx.TypeRateLimited)
		if r.Header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
	}
	// Another subject is untouched.
	if r := call(t, "GET", b+"/s/x", is.token(t, map[string]any{"sub": "frank-" + route}), nil); r.Status != 200 {
		t.Fatalf("frank: %d", r.Status)
	}
}
