package oidc_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Grant types and authentication methods as clients register them.
const (
	grantCode       = "authorization_code"
	grantRefresh    = "refresh_token"
	grantClientCred = "client_credentials"
	grantDevice     = "urn:ietf:params:oauth:grant-type:device_code"
	grantJWTBearer  = "urn:ietf:params:oauth:grant-type:jwt-bearer"

	assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	parURNPrefix  = "urn:ietf:params:oauth:request_uri:"

	// redirectURI is registered by the browser-flow clients; the tests never
	// follow a redirect, so nothing has to listen there.
	redirectURI = "https://app.example.com/cb"
)

// op is a Gatehouse started on loopback whose issuer equals its URL, with
// a plain HTTP client that, like a relying party, never follows redirects
// on its own: every test sees exactly what the server answered.
type op struct {
	*testserver.Server
	client *http.Client
}

func newOP(t *testing.T) *op {
	t.Helper()
	return newOPWith(t, testserver.Options{})
}

// newOPWith is newOP with options (clocks), always on a loopback issuer.
func newOPWith(t *testing.T, opts testserver.Options) *op {
	t.Helper()
	opts.LoopbackIssuer = true
	return &op{Server: testserver.New(t, opts), client: &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// testClock is a clock for the server that tests move by hand: the real
// time plus an offset they change, or, when frozen, a fixed time plus
// the offset (so that no real time passes between two steps).
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
	frozen time.Time
}

func frozenClock() *testClock { return &testClock{frozen: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen.IsZero() {
		return c.frozen.Add(c.offset)
	}
	return time.Now().Add(c.offset)
}

// Add moves the clock by d.
func (c *testClock) Add(d time.Duration) { c.mu.Lock(); c.offset += d; c.mu.Unlock() }

// issuer is the issuer of a tenant: "" is the default tenant.
func (o *op) issuer(slug string) string {
	if slug == "" {
		return o.URL
	}
	return o.URL + "/t/" + slug
}

// rpContext makes the relying-party libraries use the test's HTTP client.
func (o *op) rpContext(t *testing.T) context.Context {
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, o.client)
	return oidc.ClientContext(ctx, o.client)
}

// admin calls the Admin API (checked against the contract) and wants a 2xx.
func (o *op) admin(t *testing.T, method, path string, body any) map[string]any {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, o.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := o.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// createTenant creates a named tenant through the Admin API.
func (o *op) createTenant(t *testing.T, slug string) {
	t.Helper()
	o.admin(t, "POST", "/admin/v1/tenants", map[string]any{"slug": slug, "display_name": slug})
}

// tenantID returns the ID of a tenant ("" is the default one).
func (o *op) tenantID(t *testing.T, slug string) string {
	t.Helper()
	sc, err := o.App.Directory.Resolve(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return sc.Tenant.ID
}

// mustTenant resolves a tenant as the provider sees it.
func mustTenant(t *testing.T, o *op, slug string) *tenancy.Tenant {
	t.Helper()
	tn, err := o.App.Provider.ResolveTenant(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

// rp is a registered client and the credentials it got.
type rp struct {
	ID, Secret string
	Tenant     string // slug, "" for the default tenant
	Key        *ecdsa.PrivateKey
	KeyID      string
}

// registerClient creates a client in a tenant with the given metadata.
func (o *op) registerClient(t *testing.T, slug string, meta map[string]any) *rp {
	t.Helper()
	if _, ok := meta["client_name"]; !ok {
		meta["client_name"] = t.Name()
	}
	path := "/admin/v1/clients"
	if slug != "" {
		path = "/admin/v1/tenants/" + slug + "/clients"
	}
	m := o.admin(t, "POST", path, meta)
	c := &rp{ID: m["client_id"].(string), Tenant: slug}
	c.Secret, _ = m["client_secret"].(string)
	return c
}

// serviceClient registers a confidential client_credentials client.
func (o *op) serviceClient(t *testing.T, slug, authMethod, scope string, extra map[string]any) *rp {
	t.Helper()
	meta := map[string]any{
		"grant_types":                []string{grantClientCred},
		"token_endpoint_auth_method": authMethod,
	}
	if scope != "" {
		meta["scope"] = scope
	}
	for k, v := range extra {
		meta[k] = v
	}
	return o.registerClient(t, slug, meta)
}

// keyClient registers a private_key_jwt client with a fresh P-256 key.
func (o *op) keyClient(t *testing.T, slug string, grants []string, scope string) *rp {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	kid := "k-" + rand.Text()[:8]
	pub, err := json.Marshal(jose.JSONWebKey{Key: key.Public(), KeyID: kid, Algorithm: "ES256", Use: "sig"})
	if err != nil {
		t.Fatal(err)
	}
	var jwk map[string]any
	_ = json.Unmarshal(pub, &jwk)
	c := o.registerClient(t, slug, map[string]any{
		"grant_types":                grants,
		"token_endpoint_auth_method": "private_key_jwt",
		"jwks":                       map[string]any{"keys": []any{jwk}},
		"scope":                      scope,
	})
	c.Key, c.KeyID = key, kid
	return c
}

// assertion signs an RFC 7523 client assertion for c with audience aud,
// after letting mod adjust the claims.
func (c *rp) assertion(t *testing.T, aud string, mod func(map[string]any)) string {
	t.Helper()
	return signES256(t, c.Key, c.KeyID, c.ID, aud, mod)
}

func signES256(t testing.TB, key *ecdsa.PrivateKey, kid, clientID, aud string, mod func(map[string]any)) string {
	t.Helper()
	now := time.Now()
	claims := map[string]any{
		"iss": clientID, "sub": clientID, "aud": aud, "jti": rand.Text(),
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(),
	}
	if mod != nil {
		mod(claims)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ccToken gets a client_credentials token with x/oauth2, authenticating
// with the client's secret in the header (basic) or the body (post).
func (o *op) ccToken(t *testing.T, c *rp, style oauth2.AuthStyle, scopes ...string) *oauth2.Token {
	t.Helper()
	cfg := clientcredentials.Config{
		ClientID: c.ID, ClientSecret: c.Secret, TokenURL: o.issuer(c.Tenant) + "/oauth/token",
		Scopes: scopes, AuthStyle: style,
	}
	tok, err := cfg.Token(o.rpContext(t))
	if err != nil {
		t.Fatalf("client_credentials for %s: %v", c.ID, err)
	}
	return tok
}

// reply is a protocol endpoint's answer.
type reply struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

func (r reply) str(k string) string { s, _ := r.Body[k].(string); return s }

// send makes a request; basic, when given, is client_id and secret for
// client_secret_basic, form-encoded first as RFC 6749 2.3.1 requires.
func (o *op) send(t *testing.T, method, u string, form url.Values, basic ...string) reply {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if len(basic) == 2 {
		req.SetBasicAuth(url.QueryEscape(basic[0]), url.QueryEscape(basic[1]))
	}
	return o.do(t, req)
}

func (o *op) do(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := o.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	_ = json.Unmarshal(raw, &r.Body)
	return r
}

func (o *op) post(t *testing.T, u string, form url.Values, basic ...string) reply {
	t.Helper()
	return o.send(t, http.MethodPost, u, form, basic...)
}

func (o *op) get(t *testing.T, u string) reply {
	t.Helper()
	return o.send(t, http.MethodGet, u, nil)
}

// token posts to a tenant's token endpoint.
func (o *op) token(t *testing.T, slug string, form url.Values, basic ...string) reply {
	t.Helper()
	return o.post(t, o.issuer(slug)+"/oauth/token", form, basic...)
}

// introspect asks a tenant's introspection endpoint about a token.
func (o *op) introspect(t *testing.T, caller *rp, token string) reply {
	t.Helper()
	r := o.post(t, o.issuer(caller.Tenant)+"/oauth/introspect", url.Values{"token": {token}}, caller.ID, caller.Secret)
	if r.Status != http.StatusOK {
		t.Fatalf("introspection: %d %s", r.Status, r.Raw)
	}
	return r
}

func (o *op) wantActive(t *testing.T, caller *rp, token string) reply {
	t.Helper()
	r := o.introspect(t, caller, token)
	if r.Body["active"] != true {
		t.Fatalf("token should be active: %s", r.Raw)
	}
	return r
}

// wantInactive checks the RFC 7662 2.2 answer for an inactive token:
// active false and nothing else about the token.
func (o *op) wantInactive(t *testing.T, caller *rp, token string) {
	t.Helper()
	r := o.introspect(t, caller, token)
	if r.Body["active"] != false || len(r.Body) != 1 {
		t.Fatalf("token should be inactive, with no other member: %s", r.Raw)
	}
}

// revoke posts to the revocation endpoint as caller and wants 200.
func (o *op) revoke(t *testing.T, caller *rp, token string) {
	t.Helper()
	r := o.post(t, o.issuer(caller.Tenant)+"/revoke", url.Values{"token": {token}}, caller.ID, caller.Secret)
	if r.Status != http.StatusOK {
		t.Fatalf("revocation: %d %s", r.Status, r.Raw)
	}
}

// wantOAuthError checks an RFC 6749 5.2 style error response: status,
// JSON body with the error code, and no redirect anywhere.
func wantOAuthError(t *testing.T, r reply, status int, code string) {
	t.Helper()
	if r.Status != status || r.str("error") != code {
		t.Fatalf("want %d %s, got %d %s", status, code, r.Status, r.Raw)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("content type %q: %s", ct, r.Raw)
	}
	if loc := r.Header.Get("Location"); loc != "" {
		t.Fatalf("error response redirects to %s", loc)
	}
}

// wantRedirectError checks an authorization error sent to the client's
// redirect URI (RFC 6749 4.1.2.1) with the state echoed.
func wantRedirectError(t *testing.T, r reply, redirect, code, state string) url.Values {
	t.Helper()
	if r.Status != http.StatusFound {
		t.Fatalf("want a redirect with error %s, got %d %s", code, r.Status, r.Raw)
	}
	loc, err := url.Parse(r.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if q.Get("error") == "" && loc.Fragment != "" { // fragment-encoded response types
		q, _ = url.ParseQuery(loc.Fragment)
	}
	base := *loc
	base.RawQuery, base.Fragment = "", ""
	if base.String() != redirect || q.Get("error") != code || q.Get("state") != state {
		t.Fatalf("want %s?error=%s&state=%s, got %s", redirect, code, state, loc)
	}
	if q.Get("code") != "" {
		t.Fatalf("error redirect carries a code: %s", loc)
	}
	return q
}

// wantNoRedirect checks that an authorization request was refused on the
// server's own page, not sent anywhere.
func wantNoRedirect(t *testing.T, r reply) {
	t.Helper()
	if r.Status < 400 || r.Status >= 500 {
		t.Fatalf("want a 4xx error page, got %d %v %s", r.Status, r.Header, r.Raw)
	}
	if loc := r.Header.Get("Location"); loc != "" {
		t.Fatalf("refused request redirects to %s", loc)
	}
}

// pkce returns a verifier and its S256 challenge.
func pkce() (verifier, challenge string) {
	verifier = oauth2.GenerateVerifier()
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// parsedJWT is a token's protected header and claims, unverified.
type parsedJWT struct {
	Header jose.Header
	Claims map[string]any
	tok    *jwt.JSONWebToken
}

func parseJWT(t *testing.T, raw string) *parsedJWT {
	t.Helper()
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.ES256, jose.RS256, jose.EdDSA})
	if err != nil {
		t.Fatalf("not a JWS: %v (%q)", err, raw)
	}
	p := &parsedJWT{Header: tok.Headers[0], tok: tok}
	if err := tok.UnsafeClaimsWithoutVerification(&p.Claims); err != nil {
		t.Fatal(err)
	}
	return p
}

// fetchJWKS gets a tenant's key set over HTTP.
func (o *op) fetchJWKS(t *testing.T, slug string) jose.JSONWebKeySet {
	t.Helper()
	r := o.get(t, o.issuer(slug)+"/keys")
	if r.Status != http.StatusOK {
		t.Fatalf("jwks: %d %s", r.Status, r.Raw)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(r.Raw, &set); err != nil {
		t.Fatal(err)
	}
	return set
}

func kids(set jose.JSONWebKeySet) []string {
	var out []string
	for _, k := range set.Keys {
		out = append(out, k.KeyID)
	}
	return out
}

// verifyWithJWKS checks a token's signature against the key of its kid
// in the tenant's published JWKS and returns the verified claims.
func (o *op) verifyWithJWKS(t *testing.T, slug, raw string) map[string]any {
	t.Helper()
	p := parseJWT(t, raw)
	set := o.fetchJWKS(t, slug)
	keys := set.Key(p.Header.KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q is not in the JWKS of %q", p.Header.KeyID, o.issuer(slug))
	}
	var claims map[string]any
	if err := p.tok.Claims(keys[0].Key, &claims); err != nil {
		t.Fatalf("signature: %v", err)
	}
	return claims
}

func hasAll(have []string, want ...string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func toStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}
