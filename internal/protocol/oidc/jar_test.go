package oidc_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	gatehouseoidc "github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// bothStores runs fn against a Gatehouse on SQLite and, when
// GATEHOUSE_TEST_POSTGRES_DSN is set, on PostgreSQL, each with clock.
func bothStores(t *testing.T, fn func(t *testing.T, o *op, clock *testClock)) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			t.Parallel()
			clock := &testClock{}
			opts := testserver.Options{ProviderNow: clock.Now}
			if db == "postgres" {
				opts.Env = map[string]string{"GATEHOUSE_DATABASE": pgtest.SchemaURL(t, "gh_jar")}
			}
			fn(t, newOPWith(t, opts), clock)
		})
	}
}

// keyCodeClient registers a private_key_jwt code-flow client with a fresh
// P-256 key and the extra metadata given.
func (o *op) keyCodeClient(t *testing.T, extra map[string]any) *rp {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	kid := "k-" + rand.Text()[:8]
	pub, _ := json.Marshal(jose.JSONWebKey{Key: key.Public(), KeyID: kid, Algorithm: "ES256", Use: "sig"})
	var jwk map[string]any
	_ = json.Unmarshal(pub, &jwk)
	meta := map[string]any{
		"grant_types": []string{grantCode, grantRefresh}, "redirect_uris": []string{redirectURI},
		"token_endpoint_auth_method": "private_key_jwt", "jwks": map[string]any{"keys": []any{jwk}},
		"scope": "openid profile email offline_access", "metadata": map[string]any{"first_party": true},
	}
	for k, v := range extra {
		meta[k] = v
	}
	c := o.registerClient(t, "", meta)
	c.Key, c.KeyID = key, kid
	return c
}

// requestObject signs a request object for c (ES256, typ
// oauth-authz-req+jwt) after mod adjusts the claims.
func (o *op) requestObject(t *testing.T, c *rp, now time.Time, mod func(map[string]any)) string {
	t.Helper()
	_, challenge := pkce()
	claims := map[string]any{
		"iss": c.ID, "aud": o.issuer(c.Tenant), "client_id": c.ID, "jti": rand.Text(),
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"response_type": "code", "redirect_uri": redirectURI, "scope": "openid profile",
		"state": "s-jar", "nonce": "n-jar", "code_challenge": challenge, "code_challenge_method": "S256",
	}
	if mod != nil {
		mod(claims)
	}
	return signWith(t, jose.ES256, jose.JSONWebKey{Key: c.Key, KeyID: c.KeyID}, "oauth-authz-req+jwt", claims)
}

func signWith(t *testing.T, alg jose.SignatureAlgorithm, key any, typ string, claims map[string]any) string {
	t.Helper()
	opts := &jose.SignerOptions{}
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// authorizeWith sends /authorize with the given query.
func (o *op) authorizeWith(t *testing.T, c *rp, q url.Values) reply {
	t.Helper()
	return o.get(t, o.issuer(c.Tenant)+"/authorize?"+q.Encode())
}

// wantLoginRedirect checks /authorize accepted the request and returns the
// stored authorization request's state and redirect URI.
func (o *op) wantLoginRedirect(t *testing.T, r reply) (state, redirect string) {
	t.Helper()
	loc, err := url.Parse(r.Header.Get("Location"))
	if r.Status != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), o.issuer("")+"/login?") {
		t.Fatalf("want the login page, got %d %s %s", r.Status, r.Header.Get("Location"), r.Raw)
	}
	in, err := o.App.Provider.Interaction(t.Context(), mustTenant(t, o, ""), loc.Query().Get("authRequestID"))
	if err != nil {
		t.Fatal(err)
	}
	return in.Request.State, in.Request.RedirectURI
}

// pushWithKey sends a pushed authorization request authenticated with a
// private_key_jwt assertion.
func (o *op) pushWithKey(t *testing.T, c *rp, params url.Values) reply {
	t.Helper()
	form := url.Values{"client_id": {c.ID}, "client_assertion_type": {assertionType},
		"client_assertion": {c.assertion(t, o.issuer(c.Tenant), nil)}}
	for k, v := range params {
		form[k] = v
	}
	return o.post(t, o.issuer(c.Tenant)+"/oauth/par", form)
}

func TestRequestObjects(t *testing.T) {
	t.Parallel()
	bothStores(t, func(t *testing.T, o *op, clock *testClock) {
		ro := httptest.NewTLSServer(nil)
		t.Cleanup(ro.Close)
		var served string
		ro.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/ro" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/oauth-authz-req+jwt")
			_, _ = w.Write([]byte(served))
		})
		gatehouseoidc.SetRequestURIClient(o.App.Provider, ro.Client())
		c := o.keyCodeClient(t, map[string]any{"request_uris": []string{ro.URL + "/ro", ro.URL + "/missing"}})
		now := clock.Now()

		// By value: the object is the request; the outside redirect_uri and
		// state are ignored, not merged.
		obj := o.requestObject(t, c, now, nil)
		r := o.authorizeWith(t, c, url.Values{"client_id": {c.ID}, "request": {obj},
			"redirect_uri": {"https://evil.example/cb"}, "state": {"outer"}, "response_type": {"code"}})
		if state, redirect := o.wantLoginRedirect(t, r); state != "s-jar" || redirect != redirectURI {
			t.Fatalf("stored state %q redirect %q: outside parameters were merged", state, redirect)
		}
		// The same object again is a replay.
		wantOAuthError(t, o.authorizeWith(t, c, url.Values{"client_id": {c.ID}, "request": {obj}}), http.StatusBadRequest, "invalid_request_object")

		// A plain JWT typ is accepted too (older clients).
		plain := signWith(t, jose.ES256, jose.JSONWebKey{Key: c.Key, KeyID: c.KeyID}, "JWT", map[string]any{
			"iss": c.ID, "aud": o.issuer(""), "jti": rand.Text(), "exp": now.Add(time.Minute).Unix(),
			"response_type": "code", "redirect_uri": redirectURI, "scope": "openid", "state": "s-plain",
		})
		if state, _ := o.wantLoginRedirect(t, o.authorizeWith(t, c, url.Values{"client_id": {c.ID}, "request": {plain}})); state != "s-plain" {
			t.Fatalf("state %q", state)
		}

		hmacKey := []byte("0123456789abcdef0123456789abcdef")
		refused := map[string]string{
			"tampered signature": func() string {
				o := o.requestObject(t, c, now, nil)
				parts := strings.Split(o, ".")
				sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
				sig[5] ^= 0x01
				return parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
			}(),
			"tampered payload": func() string {
				parts := strings.Split(o.requestObject(t, c, now, nil), ".")
				p, _ := base64.RawURLEncoding.DecodeString(parts[1])
				p = []byte(strings.Replace(string(p), redirectURI, "https://evil.example/cb", 1))
				return parts[0] + "." + base64.RawURLEncoding.EncodeToString(p) + "." + parts[2]
			}(),
			"expired":      o.requestObject(t, c, now, func(m map[string]any) { m["exp"] = now.Add(-time.Minute).Unix() }),
			"missing exp":  o.requestObject(t, c, now, func(m map[string]any) { delete(m, "exp") }),
			"exp > 60 min": o.requestObject(t, c, now, func(m map[string]any) { m["exp"] = now.Add(61 * time.Minute).Unix() }),
			"nbf ahead":    o.requestObject(t, c, now, func(m map[string]any) { m["nbf"] = now.Add(5 * time.Minute).Unix() }),
			"nbf too old":  o.requestObject(t, c, now, func(m map[string]any) { m["nbf"] = now.Add(-61 * time.Minute).Unix() }),
			"wrong aud":    o.requestObject(t, c, now, func(m map[string]any) { m["aud"] = "https://other.example" }),
			"wrong iss":    o.requestObject(t, c, now, func(m map[string]any) { m["iss"] = "someone-else" }),
			"no jti":       o.requestObject(t, c, now, func(m map[string]any) { delete(m, "jti") }),
			"client_id":    o.requestObject(t, c, now, func(m map[string]any) { m["client_id"] = "someone-else" }),
			"nested":       o.requestObject(t, c, now, func(m map[string]any) { m["request_uri"] = ro.URL + "/ro" }),
			"typ":          signWith(t, jose.ES256, jose.JSONWebKey{Key: c.Key, KeyID: c.KeyID}, "at+jwt", map[string]any{"iss": c.ID, "aud": o.issuer(""), "jti": "x", "exp": now.Add(time.Minute).Unix()}),
			"HS256":        signWith(t, jose.HS256, hmacKey, "oauth-authz-req+jwt", map[string]any{"iss": c.ID, "aud": o.issuer(""), "jti": rand.Text(), "exp": now.Add(time.Minute).Unix(), "response_type": "code", "redirect_uri": redirectURI}),
			"other key":    o.requestObject(t, &rp{ID: c.ID, Key: mustKey(t), KeyID: c.KeyID}, now, nil),
			"alg none":     unsigned(map[string]any{"iss": c.ID, "aud": o.issuer(""), "jti": rand.Text(), "exp": now.Add(time.Minute).Unix(), "response_type": "code", "redirect_uri": redirectURI}),
			"not a JWT":    "not-a-jwt",
			"huge":         strings.Repeat("a", 40<<10),
		}
		for name, bad := range refused {
			r := o.authorizeWith(t, c, url.Values{"client_id": {c.ID}, "request": {bad}, "redirect_uri": {redirectURI}, "response_type": {"code"}})
			if r.str("error") != "invalid_request_object" {
				t.Errorf("%s: %d %s", name, r.Status, r.Raw)
				continue
			}
			wantOAuthError(t, r, http.StatusBadRequest, "invalid_request_object")
		}

		// By reference, from the client's allow-list (a loopback TLS server).
		served = o.requestObject(t, c, now, func(m map[string]any) { m["state"] = "s-uri" })
		if state, _ := o.wantLoginRedirect(t, o.authorizeWith(t, c, url.Values{"client_id": {c.ID}, "request_uri": {ro.URL + "/ro"}})); state != "s-uri" {
			t.Fatalf("state %q", state)
		}
		wantOAuthError(t, o.authorizeWith(t, c, url.Values{"client_id": {c.ID}, "request_uri": {ro.URL + "/ro"}}), http.StatusBadRequest, "invalid_request_object") // replayed jti
		for name, uri := range map[string]string{"unregistered": ro.URL + "/other", "not found": ro.URL + "/missing", "http": "http://127.0.0.1:1/ro"} {
			if r := o.authorizeWith(t, c, url.Values{"client_id": {c.ID}, "request_uri": {uri}}); r.str("error") != "invalid_request_uri" {
				t.Errorf("%s request_uri: %d %s", name, r.Status, r.Raw)
			}
		}
		if r := o.authorizeWith(t, c, url.Values{"client_id": {c.ID}, "request_uri": {ro.URL + "/ro"}, "request": {obj}}); r.Status != http.StatusBadRequest {
			t.Fatalf("request and request_uri together: %d %s", r.Status, r.Raw)
		}

		// Through PAR: the pushed request object becomes the pushed request.
		p := o.pushWithKey(t, c, url.Values{"request": {o.requestObject(t, c, now, func(m map[string]any) { m["state"] = "s-par" })},
			"state": {"outer"}})
		if p.Status != http.StatusCreated {
			t.Fatalf("PAR with request: %d %s", p.Status, p.Raw)
		}
		if state, redirect := o.wantLoginRedirect(t, o.get(t, o.authorizeURI(c, p.str("request_uri")))); state != "s-par" || redirect != redirectURI {
			t.Fatalf("pushed object: state %q redirect %q", state, redirect)
		}
		bad := o.pushWithKey(t, c, url.Values{"request": {refused["expired"]}})
		wantOAuthError(t, bad, http.StatusBadRequest, "invalid_request_object")

		// require_signed_request_object: plain requests are refused at
		// /authorize and at the PAR endpoint.
		strict := o.keyCodeClient(t, map[string]any{"require_signed_request_object": true})
		got := o.admin(t, "GET", "/admin/v1/clients/"+strict.ID, nil)
		if got["require_signed_request_object"] != true || got["profile"] != "default" {
			t.Fatalf("client %v", got)
		}
		if _, leaked := got["metadata"].(map[string]any)["require_signed_request_object"]; leaked {
			t.Fatalf("metadata shows a top-level member: %v", got["metadata"])
		}
		plainQ := parParams("s-plain")
		plainQ.Set("client_id", strict.ID)
		wantOAuthError(t, o.authorizeWith(t, strict, plainQ), http.StatusBadRequest, "invalid_request_object")
		wantOAuthError(t, o.pushWithKey(t, strict, parParams("s-plain")), http.StatusBadRequest, "invalid_request_object")
		o.wantLoginRedirect(t, o.authorizeWith(t, strict, url.Values{"client_id": {strict.ID}, "request": {o.requestObject(t, strict, now, nil)}}))
	})
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// unsigned is an alg=none JWT (RFC 7519 6).
func unsigned(claims map[string]any) string {
	h, _ := json.Marshal(map[string]any{"alg": "none", "typ": "oauth-authz-req+jwt"})
	p, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p) + "."
}

func TestRequestObjectDiscovery(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	d := o.get(t, o.issuer("")+"/.well-known/openid-configuration")
	if d.Body["request_parameter_supported"] != true || d.Body["request_uri_parameter_supported"] != true ||
		d.Body["require_request_uri_registration"] != true {
		t.Fatalf("discovery %s", d.Raw)
	}
	algs := toStrings(d.Body["request_object_signing_alg_values_supported"])
	if !hasAll(algs, "PS256", "ES256", "EdDSA") || hasAll(algs, "none") || hasAll(algs, "HS256") {
		t.Fatalf("request object algs %v", algs)
	}
}
