package oidc_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// checkAccessToken checks an access token is an RFC 9068 JWT of the
// tenant, signed with ES256 by a key its JWKS publishes, and returns its
// verified claims.
func checkAccessToken(t *testing.T, o *op, c *rp, raw, wantScope string) map[string]any {
	t.Helper()
	p := parseJWT(t, raw)
	if typ, _ := p.Header.ExtraHeaders["typ"].(string); typ != "at+jwt" {
		t.Errorf("typ %q, want at+jwt (RFC 9068 2.1)", typ)
	}
	if p.Header.Algorithm != "ES256" || p.Header.KeyID == "" {
		t.Errorf("alg %q kid %q", p.Header.Algorithm, p.Header.KeyID)
	}
	claims := o.verifyWithJWKS(t, c.Tenant, raw)
	iss := o.issuer(c.Tenant)
	if claims["iss"] != iss || claims["sub"] != c.ID || claims["client_id"] != c.ID {
		t.Errorf("iss/sub/client_id: %v", claims)
	}
	if !slices.Contains(toStrings(claims["aud"]), c.ID) {
		t.Errorf("aud %v", claims["aud"])
	}
	if claims["scope"] != wantScope {
		t.Errorf("scope %q, want %q", claims["scope"], wantScope)
	}
	if s, _ := claims["jti"].(string); s == "" {
		t.Errorf("no jti: %v", claims)
	}
	iat, _ := claims["iat"].(float64)
	exp, _ := claims["exp"].(float64)
	if now := float64(time.Now().Unix()); iat < now-60 || iat > now+5 || exp-iat != 3600 {
		t.Errorf("iat %v exp %v", iat, exp)
	}
	if _, ok := claims["auth_time"]; ok {
		t.Errorf("a client's own token has auth_time: %v", claims)
	}

	// go-oidc's verifier agrees: issuer, audience, expiry and signature
	// against the JWKS it fetched through discovery.
	prov, err := oidc.NewProvider(o.rpContext(t), iss)
	if err != nil {
		t.Fatal(err)
	}
	v := prov.VerifierContext(o.rpContext(t), &oidc.Config{ClientID: c.ID, SupportedSigningAlgs: []string{oidc.ES256}})
	if _, err := v.Verify(o.rpContext(t), raw); err != nil {
		t.Errorf("go-oidc verification: %v", err)
	}
	ks := oidc.NewRemoteKeySet(o.rpContext(t), iss+"/keys")
	if _, err := ks.VerifySignature(o.rpContext(t), raw); err != nil {
		t.Errorf("go-oidc RemoteKeySet: %v", err)
	}
	return claims
}

func TestClientCredentialsSecretBasic(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read api:write", nil)

	tok := o.ccToken(t, c, oauth2.AuthStyleInHeader, "api:read")
	if tok.TokenType != "Bearer" || tok.RefreshToken != "" {
		t.Fatalf("token type %q refresh %q", tok.TokenType, tok.RefreshToken)
	}
	if d := time.Until(tok.Expiry); d < 59*time.Minute || d > time.Hour+time.Minute {
		t.Fatalf("expires in %v", d)
	}
	if tok.Extra("scope") != "api:read" {
		t.Fatalf("scope %v", tok.Extra("scope"))
	}
	checkAccessToken(t, o, c, tok.AccessToken, "api:read")

	// Without a scope the client gets what it registered.
	all := o.ccToken(t, c, oauth2.AuthStyleInHeader)
	checkAccessToken(t, o, c, all.AccessToken, "api:read api:write")
}

func TestClientCredentialsSecretPost(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_post", "api:read", nil)
	tok := o.ccToken(t, c, oauth2.AuthStyleInParams, "api:read")
	checkAccessToken(t, o, c, tok.AccessToken, "api:read")
}

// RFC 6749 5.1: a response carrying tokens MUST have Cache-Control: no-store.
func TestTokenResponseIsNotCacheable(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	r := o.token(t, "", url.Values{"grant_type": {grantClientCred}}, c.ID, c.Secret)
	if r.Status != http.StatusOK || r.str("access_token") == "" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Fatalf("token response Cache-Control %q, want no-store", cc)
	}
}

func TestClientCredentialsPrivateKeyJWT(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.keyClient(t, "", []string{grantClientCred}, "api:read")
	iss := o.issuer("")
	form := func(assertion string) url.Values {
		return url.Values{"grant_type": {grantClientCred}, "scope": {"api:read"},
			"client_assertion_type": {assertionType}, "client_assertion": {assertion}}
	}

	// The engine checks that the assertion's aud contains the issuer.
	r := o.token(t, "", form(c.assertion(t, iss, nil)))
	if r.Status != http.StatusOK {
		t.Fatalf("private_key_jwt: %d %s", r.Status, r.Raw)
	}
	checkAccessToken(t, o, c, r.str("access_token"), "api:read")

	// The same with client_id also in the body, as many libraries send it.
	f := form(c.assertion(t, iss, nil))
	f.Set("client_id", c.ID)
	if r := o.token(t, "", f); r.Status != http.StatusOK {
		t.Fatalf("with client_id: %d %s", r.Status, r.Raw)
	}

	t.Run("refused", func(t *testing.T) {
		other := o.keyClient(t, "", []string{grantClientCred}, "api:read")
		cases := map[string]string{
			"wrong audience":   c.assertion(t, "https://elsewhere.example", nil),
			"expired":          c.assertion(t, iss, func(m map[string]any) { m["exp"] = time.Now().Add(-time.Minute).Unix() }),
			"sub is not iss":   c.assertion(t, iss, func(m map[string]any) { m["sub"] = other.ID }),
			"unknown client":   c.assertion(t, iss, func(m map[string]any) { m["iss"], m["sub"] = "nobody", "nobody" }),
			"another's key":    signES256(t, other.Key, c.KeyID, c.ID, iss, nil),
			"not a JWT":        "not.a.jwt",
			"signed for other": signES256(t, c.Key, c.KeyID, other.ID, iss, nil),
		}
		for name, a := range cases {
			t.Run(name, func(t *testing.T) {
				wantOAuthError(t, o.token(t, "", form(a)), http.StatusUnauthorized, "invalid_client")
			})
		}
	})

	t.Run("secret clients cannot use assertions", func(t *testing.T) {
		sc := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
		a := signES256(t, c.Key, c.KeyID, sc.ID, iss, nil)
		wantOAuthError(t, o.token(t, "", form(a)), http.StatusUnauthorized, "invalid_client")
	})
	t.Run("key clients cannot use a secret", func(t *testing.T) {
		r := o.token(t, "", url.Values{"grant_type": {grantClientCred}}, c.ID, "guess")
		wantOAuthError(t, r, http.StatusUnauthorized, "invalid_client")
	})
}

// OpenID Connect Core 9 says the assertion's audience SHOULD be the token
// endpoint URL, and RFC 7523 3 allows it; RP libraries (Spring Security,
// Nimbus, the OpenID conformance suite's OIDC profile) send it. The
// authorization server MUST accept itself as audience in either form.
func TestPrivateKeyJWTTokenEndpointAudience(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.keyClient(t, "", []string{grantClientCred}, "api:read")
	tokenURL := o.issuer("") + "/oauth/token"
	r := o.token(t, "", url.Values{"grant_type": {grantClientCred},
		"client_assertion_type": {assertionType}, "client_assertion": {c.assertion(t, tokenURL, nil)}})
	if r.Status != http.StatusOK {
		t.Fatalf("aud = token endpoint: %d %s", r.Status, r.Raw)
	}
}

// RFC 7523 3: a client assertion is accepted once. Its jti is remembered
// (in the database, shared by every node) until its exp, at every endpoint
// that authenticates clients; an assertion without jti, or whose exp is
// more than five minutes away, is refused.
func TestPrivateKeyJWTReplayAndLifetime(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.keyClient(t, "", []string{grantClientCred}, "api:read")
	iss := o.issuer("")
	cc := func(assertion string) reply {
		return o.token(t, "", url.Values{"grant_type": {grantClientCred}, "scope": {"api:read"},
			"client_assertion_type": {assertionType}, "client_assertion": {assertion}})
	}

	a := c.assertion(t, iss, nil)
	if r := cc(a); r.Status != http.StatusOK {
		t.Fatalf("first use: %d %s", r.Status, r.Raw)
	}
	wantOAuthError(t, cc(a), http.StatusUnauthorized, "invalid_client")
	// The same assertion at the introspection and PAR endpoints.
	intro := o.post(t, iss+"/oauth/introspect", url.Values{"token": {"x"}, "client_assertion_type": {assertionType}, "client_assertion": {a}})
	wantOAuthError(t, intro, http.StatusUnauthorized, "invalid_client")
	// A new assertion with the used jti.
	jti := parseJWT(t, a).Claims["jti"]
	wantOAuthError(t, cc(c.assertion(t, iss, func(m map[string]any) { m["jti"] = jti })), http.StatusUnauthorized, "invalid_client")
	// Another client may use the same jti value: it is the client's.
	other := o.keyClient(t, "", []string{grantClientCred}, "api:read")
	if r := cc(other.assertion(t, iss, func(m map[string]any) { m["jti"] = jti })); r.Status != http.StatusOK {
		t.Fatalf("another client's jti: %d %s", r.Status, r.Raw)
	}

	wantOAuthError(t, cc(c.assertion(t, iss, func(m map[string]any) { delete(m, "jti") })), http.StatusUnauthorized, "invalid_client")
	wantOAuthError(t, cc(c.assertion(t, iss, func(m map[string]any) { m["jti"] = "" })), http.StatusUnauthorized, "invalid_client")
	for _, exp := range []time.Duration{6 * time.Minute, time.Hour, 365 * 24 * time.Hour} {
		r := cc(c.assertion(t, iss, func(m map[string]any) { m["exp"] = time.Now().Add(exp).Unix() }))
		wantOAuthError(t, r, http.StatusUnauthorized, "invalid_client")
	}
	if r := cc(c.assertion(t, iss, func(m map[string]any) { m["exp"] = time.Now().Add(4 * time.Minute).Unix() })); r.Status != http.StatusOK {
		t.Fatalf("exp in four minutes: %d %s", r.Status, r.Raw)
	}
}
