package gateway

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// benchIssuer serves discovery and a one-key JWKS, and signs one ES256 token.
func benchIssuer(b *testing.B) (*Verifier, string) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	var url string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/keys" {
			_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": url, "jwks_uri": url + "/keys"})
	}))
	b.Cleanup(srv.Close)
	url = srv.URL
	s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithType("at+jwt").WithHeader("kid", "k1"))
	claims, _ := json.Marshal(map[string]any{"iss": url, "sub": "user-1", "aud": "https://api.example.com/billing", "client_id": "c1",
		"scope": "invoices:read", "permissions": []string{"invoices:read"}, "exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()})
	jws, _ := s.Sign(claims)
	tok, _ := jws.CompactSerialize()
	v := NewVerifier(url, []string{"ES256", "RS256", "EdDSA"}, 5*time.Second, nil, nil)
	if _, err := v.Verify(context.Background(), tok); err != nil {
		b.Fatal(err)
	}
	return v, tok
}

// BenchmarkVerifyES256 is the token check with the JWKS cached and the
// verified-token cache bypassed: parse, ES256 verify, claims.
func BenchmarkVerifyES256(b *testing.B) {
	v, tok := benchIssuer(b)
	ctx := context.Background()
	ck := cacheKey(tok)
	b.ReportAllocs()
	for b.Loop() {
		v.cache.Invalidate(ck)
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyCached is the token check of a token seen before.
func BenchmarkVerifyCached(b *testing.B) {
	v, tok := benchIssuer(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}
