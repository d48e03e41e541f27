package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestIntrospectionOfAccessTokens(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read api:write", nil)
	rs := o.serviceClient(t, "", "client_secret_basic", "", nil) // a resource server
	tok := o.ccToken(t, c, oauth2.AuthStyleInHeader, "api:read").AccessToken
	claims := parseJWT(t, tok).Claims

	for _, caller := range []*rp{c, rs} {
		r := o.wantActive(t, caller, tok)
		b := r.Body
		if b["client_id"] != c.ID || b["scope"] != "api:read" || b["iss"] != o.issuer("") ||
			b["jti"] != claims["jti"] || b["exp"] != claims["exp"] || b["sub"] != c.ID {
			t.Fatalf("introspection by %s: %s", caller.ID, r.Raw)
		}
		if tt, _ := b["token_type"].(string); !strings.EqualFold(tt, "bearer") {
			t.Fatalf("token_type %q", tt)
		}
	}

	// client_secret_post works for introspection too.
	p := o.serviceClient(t, "", "client_secret_post", "", nil)
	r := o.post(t, o.issuer("")+"/oauth/introspect", url.Values{"token": {tok}, "client_id": {p.ID}, "client_secret": {p.Secret}})
	if r.Status != http.StatusOK || r.Body["active"] != true {
		t.Fatalf("post auth: %d %s", r.Status, r.Raw)
	}

	for name, garbage := range map[string]string{
		"garbage":       "garbage",
		"three parts":   "a.b.c",
		"tampered":      tok[:len(tok)-4] + "AAAA",
		"opaque prefix": "gho_nothing",
		"refresh":       "ghr_nothing",
	} {
		t.Run(name, func(t *testing.T) { o.wantInactive(t, rs, garbage) })
	}
}

func TestIntrospectionOfExpiredToken(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read", map[string]any{"metadata": map[string]any{"access_token_lifetime": 1}})
	tok := o.ccToken(t, c, oauth2.AuthStyleInHeader).AccessToken
	claims := parseJWT(t, tok).Claims
	if claims["exp"].(float64)-claims["iat"].(float64) != 1 {
		t.Fatalf("lifetime from metadata not applied: %v", claims)
	}
	time.Sleep(time.Until(time.Unix(int64(claims["exp"].(float64)), 0)) + 50*time.Millisecond)
	o.wantInactive(t, c, tok)
}

func TestIntrospectionNeedsConfidentialClient(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	tok := o.ccToken(t, c, oauth2.AuthStyleInHeader).AccessToken
	pub := o.registerClient(t, "", map[string]any{
		"token_endpoint_auth_method": "none", "redirect_uris": []string{redirectURI},
	})
	endpoint := o.issuer("") + "/oauth/introspect"
	// RFC 6749 5.2: authentication attempted with the Authorization header
	// MUST be answered with 401; otherwise 400 is allowed as well.
	const basic, other = http.StatusUnauthorized, 0
	cases := []struct {
		name   string
		status int
		r      reply
	}{
		{"public client, basic, empty secret", basic, o.post(t, endpoint, url.Values{"token": {tok}}, pub.ID, "")},
		{"public client, basic, made-up secret", basic, o.post(t, endpoint, url.Values{"token": {tok}}, pub.ID, "x")},
		{"wrong secret", basic, o.post(t, endpoint, url.Values{"token": {tok}}, c.ID, "wrong")},
		{"unknown client", basic, o.post(t, endpoint, url.Values{"token": {tok}}, "nobody", "x")},
		{"public client, client_id only", other, o.post(t, endpoint, url.Values{"token": {tok}, "client_id": {pub.ID}})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status := tc.status
			if status == other && (tc.r.Status == http.StatusBadRequest || tc.r.Status == http.StatusUnauthorized) {
				status = tc.r.Status
			}
			wantOAuthError(t, tc.r, status, "invalid_client")
			if tc.r.Body["active"] != nil {
				t.Fatalf("refused caller learned about the token: %s", tc.r.Raw)
			}
		})
	}
	// Without any client authentication the engine answers invalid_request
	// before Gatehouse sees the request; RFC 6749 5.2 names this case under
	// invalid_client, but either keeps the token's state secret.
	r := o.post(t, endpoint, url.Values{"token": {tok}})
	if r.Status != http.StatusBadRequest && r.Status != http.StatusUnauthorized || r.Body["active"] != nil {
		t.Fatalf("no authentication: %d %s", r.Status, r.Raw)
	}
	if e := r.str("error"); e != "invalid_client" && e != "invalid_request" {
		t.Fatalf("no authentication: %s", r.Raw)
	}
}

func TestOpaqueAccessTokens(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read", map[string]any{"metadata": map[string]any{"access_token_format": "opaque"}})
	tok := o.ccToken(t, c, oauth2.AuthStyleInHeader, "api:read").AccessToken
	if !strings.HasPrefix(tok, "gho_") || strings.Count(tok, ".") != 0 {
		t.Fatalf("opaque token %q", tok)
	}
	r := o.wantActive(t, c, tok)
	if r.Body["client_id"] != c.ID || r.Body["scope"] != "api:read" || r.Body["iss"] != o.issuer("") {
		t.Fatalf("introspection: %s", r.Raw)
	}
	if exp, _ := r.Body["exp"].(float64); time.Until(time.Unix(int64(exp), 0)) < 59*time.Minute {
		t.Fatalf("exp %v", r.Body["exp"])
	}

	o.revoke(t, c, tok)
	o.wantInactive(t, c, tok)
}

func TestRevocation(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	other := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	tok := o.ccToken(t, c, oauth2.AuthStyleInHeader).AccessToken
	keep := o.ccToken(t, c, oauth2.AuthStyleInHeader).AccessToken

	// Another client's revocation succeeds on the wire (RFC 7009 2.2) but
	// revokes nothing.
	o.revoke(t, other, tok)
	o.wantActive(t, other, tok)

	o.revoke(t, c, tok)
	o.wantInactive(t, other, tok)
	o.wantInactive(t, c, tok)
	o.wantActive(t, c, keep) // only that token

	// Revoking twice, unknown tokens and hints are all fine.
	o.revoke(t, c, tok)
	o.revoke(t, c, "unknown-token")
	r := o.post(t, o.issuer("")+"/revoke", url.Values{"token": {keep}, "token_type_hint": {"access_token"}}, c.ID, c.Secret)
	if r.Status != http.StatusOK {
		t.Fatalf("with hint: %d %s", r.Status, r.Raw)
	}
	o.wantInactive(t, c, keep)

	t.Run("client authentication", func(t *testing.T) {
		live := o.ccToken(t, c, oauth2.AuthStyleInHeader).AccessToken
		r := o.post(t, o.issuer("")+"/revoke", url.Values{"token": {live}}, c.ID, "wrong")
		wantOAuthError(t, r, http.StatusUnauthorized, "invalid_client")
		r = o.post(t, o.issuer("")+"/revoke", url.Values{"token": {live}, "client_id": {c.ID}})
		if r.Status != http.StatusBadRequest && r.Status != http.StatusUnauthorized {
			t.Fatalf("confidential client without secret: %d %s", r.Status, r.Raw)
		}
		wantOAuthError(t, r, r.Status, "invalid_client")
		r = o.post(t, o.issuer("")+"/revoke", url.Values{}, c.ID, c.Secret)
		wantOAuthError(t, r, http.StatusBadRequest, "invalid_request")
		o.wantActive(t, c, live)
	})
}

func TestJWKSCaching(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	r := o.get(t, o.issuer("")+"/keys")
	etag := r.Header.Get("ETag")
	if r.Status != http.StatusOK || etag == "" || !strings.HasPrefix(etag, `"`) {
		t.Fatalf("jwks: %d etag %q", r.Status, etag)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
		t.Fatalf("Cache-Control %q", cc)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/jwk-set+json" && !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("content type %q", ct)
	}
	req, _ := http.NewRequest(http.MethodGet, o.issuer("")+"/keys", nil)
	req.Header.Set("If-None-Match", etag)
	nm := o.do(t, req)
	if nm.Status != http.StatusNotModified || len(nm.Raw) != 0 || nm.Header.Get("ETag") != etag {
		t.Fatalf("revalidation: %d etag %q body %q", nm.Status, nm.Header.Get("ETag"), nm.Raw)
	}
	req.Header.Set("If-None-Match", `"stale"`)
	if r := o.do(t, req); r.Status != http.StatusOK {
		t.Fatalf("stale etag: %d", r.Status)
	}
	for _, k := range o.fetchJWKS(t, "").Keys {
		if !k.IsPublic() || k.Use != "sig" || k.Algorithm == "" || k.KeyID == "" {
			t.Fatalf("published key %+v", k)
		}
	}
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	before := o.ccToken(t, c, oauth2.AuthStyleInHeader).AccessToken
	oldKid := parseJWT(t, before).Header.KeyID
	oldTag := o.get(t, o.issuer("")+"/keys").Header.Get("ETag")

	if err := o.App.SigningKeys.Rotate(t.Context(), o.tenantID(t, "")); err != nil {
		t.Fatal(err)
	}

	r := o.get(t, o.issuer("")+"/keys")
	if r.Header.Get("ETag") == oldTag {
		t.Fatal("the JWKS ETag did not change with the keys")
	}
	after := o.ccToken(t, c, oauth2.AuthStyleInHeader).AccessToken
	newKid := parseJWT(t, after).Header.KeyID
	if newKid == oldKid {
		t.Fatalf("new tokens still use the retired key %s", oldKid)
	}
	if ks := kids(o.fetchJWKS(t, "")); !hasAll(ks, oldKid, newKid) || len(ks) != 4 {
		t.Fatalf("jwks %v, want the retired and the new key of each algorithm", ks)
	}
	checkAccessToken(t, o, c, before, "api:read")
	checkAccessToken(t, o, c, after, "api:read")
	o.wantActive(t, c, before)
	o.wantActive(t, c, after)
}
