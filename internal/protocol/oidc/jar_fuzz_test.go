package oidc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// FuzzRequestObject feeds parseRequestObject, the parser of request
// objects from outside (RFC 9101), arbitrary input: it must refuse
// with invalid_request_object or accept, never panic, and accept only
// what the client's key signed.
func FuzzRequestObject(f *testing.F) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
	c := &client{c: &oauth.Client{ID: "c1", JWKS: jwks}}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("oauth-authz-req+jwt"))
	if err != nil {
		f.Fatal(err)
	}
	valid, err := jwt.Signed(signer).Claims(map[string]any{"iss": "c1", "aud": "https://issuer", "exp": 2e9, "jti": "j",
		"response_type": "code", "max_age": 30, "claims": map[string]any{"userinfo": nil}, "prompt": []string{"x"}}).Serialize()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{valid, valid + "x", "eyJhbGciOiJub25lIn0.e30.", "a.b.c", "", "....", `{"payload":"e30","signatures":[]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, fapi := range []bool{false, true} {
			params, claims, err := parseRequestObject(raw, c, fapi)
			if err == nil && (params == nil || claims == nil) {
				t.Fatalf("accepted without parameters: %q", raw)
			}
			if err != nil && params != nil {
				t.Fatalf("refused with parameters: %q", raw)
			}
		}
	})
}
