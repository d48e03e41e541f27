package oidc_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// benchClient registers a confidential client_credentials client.
func benchClient(b *testing.B, s *testserver.Server) (id, secret string) {
	b.Helper()
	r, err := s.Admin.CreateClientWithResponse(context.Background(), nil, gen.ClientCreate{
		ClientName: "bench", GrantTypes: &[]gen.GrantType{"client_credentials"}, Scope: ptr("read write")})
	if err != nil || r.JSON201 == nil {
		b.Fatalf("%v %s", err, r.Body)
	}
	return r.JSON201.ClientID, *r.JSON201.ClientSecret
}

func ptr(s string) *string { return &s }

// BenchmarkClientCredentials measures the whole token endpoint in process:
// middleware, engine, client authentication and ES256 signing.
func BenchmarkClientCredentials(b *testing.B) {
	s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	id, secret := benchClient(b, s)
	h := s.Handler
	form := "grant_type=client_credentials&scope=read"
	b.ReportAllocs()
	b.ResetTimer() // the server and client setup above is not the operation
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkIntrospectJWT measures introspection of a JWT access token.
func BenchmarkIntrospectJWT(b *testing.B) {
	s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	id, secret := benchClient(b, s)
	req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		b.Fatalf("token: %v %s", err, rec.Body)
	}
	form := "token=" + tok.AccessToken
	b.ReportAllocs()
	b.ResetTimer() // the server and client setup above is not the operation
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/oauth/introspect", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(id, secret)
			rec := httptest.NewRecorder()
			s.Handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"active":true`) {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkIntrospectJWTUncached measures introspection of tokens seen for
// the first time: parsing and the ES256 signature check, which the
// verified-token cache skips for tokens introspected again.
func BenchmarkIntrospectJWTUncached(b *testing.B) {
	s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	id, secret := benchClient(b, s)
	// mint returns introspection forms for n fresh tokens.
	mint := func(n int) []string {
		forms := make([]string, n)
		for i := range forms {
			req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader("grant_type=client_credentials"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(id, secret)
			rec := httptest.NewRecorder()
			s.Handler.ServeHTTP(rec, req)
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
				b.Fatalf("token: %v %s", err, rec.Body)
			}
			forms[i] = "token=" + tok.AccessToken
		}
		return forms
	}
	forms := mint(1000)
	b.ReportAllocs()
	for b.Loop() {
		if len(forms) == 0 {
			b.StopTimer()
			forms = mint(1000)
			b.StartTimer()
		}
		req := httptest.NewRequest("POST", "/oauth/introspect", strings.NewReader(forms[0]))
		forms = forms[1:]
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(id, secret)
		rec := httptest.NewRecorder()
		s.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"active":true`) {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkJWKS measures the pre-serialised key set.
func BenchmarkJWKS(b *testing.B) {
	s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	b.ReportAllocs()
	b.ResetTimer() // the server and client setup above is not the operation
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			s.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/keys", nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkJWKSNotModified measures a cache revalidating its copy.
func BenchmarkJWKSNotModified(b *testing.B) {
	s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/keys", nil))
	etag := rec.Header().Get("ETag")
	b.ReportAllocs()
	b.ResetTimer() // the server and client setup above is not the operation
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", "/keys", nil)
			req.Header.Set("If-None-Match", etag)
			rec := httptest.NewRecorder()
			s.Handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusNotModified {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkPrivateKeyJWT measures the token endpoint with private_key_jwt
// client authentication: a fresh assertion per request, whose jti the
// provider records (one database write) to refuse replays.
func BenchmarkPrivateKeyJWT(b *testing.B) {
	s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	pub, _ := json.Marshal(jose.JSONWebKey{Key: key.Public(), KeyID: "k1", Algorithm: "ES256", Use: "sig"})
	var jwk map[string]any
	_ = json.Unmarshal(pub, &jwk)
	auth := gen.TokenEndpointAuthMethod("private_key_jwt")
	r, err := s.Admin.CreateClientWithResponse(context.Background(), nil, gen.ClientCreate{
		ClientName: "bench", GrantTypes: &[]gen.GrantType{"client_credentials"}, Scope: ptr("read"),
		TokenEndpointAuthMethod: &auth, Jwks: &gen.Jwks{Keys: []map[string]any{jwk}}})
	if err != nil || r.JSON201 == nil {
		b.Fatalf("%v %s", err, r.Body)
	}
	id := r.JSON201.ClientID
	h := s.Handler
	b.ReportAllocs()
	b.ResetTimer() // the server and client setup above is not the operation
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			form := url.Values{"grant_type": {"client_credentials"}, "scope": {"read"},
				"client_assertion_type": {assertionType}, "client_assertion": {signES256(b, key, "k1", id, s.App.Cfg.Issuer, nil)}}
			req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}
