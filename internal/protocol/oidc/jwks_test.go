package oidc_test

import (
	"net/http"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

func okpKids(set jose.JSONWebKeySet) []string {
	var out []string
	for _, k := range set.Keys {
		if k.Algorithm == "EdDSA" {
			out = append(out, k.KeyID)
		}
	}
	return out
}

// A tenant publishes an EdDSA (OKP) key only once a client of it uses
// EdDSA: cjose 0.6 (Debian 12's mod_auth_openidc) rejects a JWKS with one.
// Creating such a client publishes the key at once (new ETag, a cached
// copy is not revalidated as current), and its ID tokens verify.
func TestEdDSAKeyPublishedOnceAClientUsesIt(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "acme")
	for _, slug := range []string{"", "acme"} {
		if kids := okpKids(o.fetchJWKS(t, slug)); len(kids) != 0 {
			t.Fatalf("fresh tenant %q publishes OKP keys %v", slug, kids)
		}
	}
	// An RS256 client changes nothing.
	o.userClient(t, "acme", nil)
	old := o.get(t, o.issuer("acme")+"/keys")
	if kids := okpKids(o.fetchJWKS(t, "acme")); len(kids) != 0 {
		t.Fatalf("OKP keys %v without an EdDSA client", kids)
	}

	c := o.userClient(t, "acme", map[string]any{"id_token_signed_response_alg": "EdDSA"})
	kids := okpKids(o.fetchJWKS(t, "acme"))
	if len(kids) != 1 {
		t.Fatalf("after an EdDSA client: OKP keys %v", kids)
	}
	req, _ := http.NewRequest(http.MethodGet, o.issuer("acme")+"/keys", nil)
	req.Header.Set("If-None-Match", old.Header.Get("ETag"))
	if r := o.do(t, req); r.Status != http.StatusOK || r.Header.Get("ETag") == old.Header.Get("ETag") {
		t.Fatalf("revalidating the old JWKS: %d, ETag %q", r.Status, r.Header.Get("ETag"))
	}
	if kids := okpKids(o.fetchJWKS(t, "")); len(kids) != 0 {
		t.Fatalf("another tenant's EdDSA client published OKP keys %v in the default tenant", kids)
	}

	r := o.relyingParty(t, c, oidc.EdDSA, "openid")
	l := newLogin()
	tok := r.exchange(t, r.code(t, o.newBrowser(t), o.createUser(t, "acme"), "", l), l)
	idt, _ := r.idToken(t, tok, l.Nonce) // go-oidc fetches the JWKS and verifies
	if kid := parseJWT(t, tok.Extra("id_token").(string)).Header.KeyID; kid != kids[0] || idt.Issuer != o.issuer("acme") {
		t.Fatalf("ID token kid %s, want %s", kid, kids[0])
	}
}
