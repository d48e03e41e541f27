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

// BenchmarkRequestObject is the CPU cost of checking a request object's
// header and ES256 signature and turning its claims into parameters
// (docs/benchmarks.md section 36); the jti write is the database's.
func BenchmarkRequestObject(b *testing.B) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: "k1", Algorithm: "ES256"}}})
	c := &client{c: &oauth.Client{ID: "c1", JWKS: jwks}}
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("oauth-authz-req+jwt"))
	raw, _ := jwt.Signed(signer).Claims(map[string]any{"iss": "c1", "aud": "https://issuer", "exp": 2e9, "jti": "j",
		"response_type": "code", "redirect_uri": "https://app.example.com/cb", "scope": "openid profile",
		"state": "s", "nonce": "n", "code_challenge": "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq", "code_challenge_method": "S256"}).Serialize()
	b.Run("check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := parseRequestObject(raw, c, true); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The ES256 verification alone, for comparison on the same machine.
	b.Run("es256-verify-only", func(b *testing.B) {
		jws, _ := jose.ParseSignedCompact(raw, requestObjectAlgs)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := jws.Verify(key.Public()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
