//go:build unix

package oidc_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/oidc"
)

// The federated callback's CPU (issue 12's budget: 2 ms excluding the
// upstream round trip): state check, code exchange (building the request,
// reading the JSON answer), ID token verification (RS256 against the
// cached JWKS: signature, issuer, audience, expiry, nonce) and the
// identity. gatehouse-cpu-ms/op is this process's CPU per callback
// (getrusage, user + system).
//
// BenchmarkCallbackInMemory answers the token request from memory: no
// network, no upstream, so it is Gatehouse's own work (the HTTP client
// included). BenchmarkCallbackLoopback exchanges over loopback with an
// upstream in the same process, so its CPU also counts the upstream's
// work and both ends of the TCP round trip: an upper bound.

type upstream struct {
	issuer string
	key    *rsa.PrivateKey
	token  []byte
}

func newUpstream(b *testing.B, issuer string) *upstream {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	u := &upstream{issuer: issuer, key: key}
	now := time.Now()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		b.Fatal(err)
	}
	claims, _ := json.Marshal(map[string]any{"iss": issuer, "sub": "u-42", "aud": "gatehouse",
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "nonce": "n-1", "email": "ann@upstream.example", "email_verified": true})
	jws, err := s.Sign(claims)
	if err != nil {
		b.Fatal(err)
	}
	idt, _ := jws.CompactSerialize()
	u.token, _ = json.Marshal(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": idt})
	return u
}

func (u *upstream) body(path string) []byte {
	switch path {
	case "/.well-known/openid-configuration":
		b, _ := json.Marshal(map[string]any{"issuer": u.issuer, "authorization_endpoint": u.issuer + "/authorize",
			"token_endpoint": u.issuer + "/token", "jwks_uri": u.issuer + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"}})
		return b
	case "/jwks":
		b, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &u.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
		return b
	case "/token":
		return u.token
	}
	return nil
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		_ = r.ParseForm()
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(u.body(r.URL.Path))
}

// memory is a RoundTripper answering from the upstream without a network.
type memory struct{ u *upstream }

func (m memory) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(m.u.body(r.URL.Path))), Request: r}, nil
}

func benchCallback(b *testing.B, c *oidc.Connector) {
	ctx := b.Context()
	cb := federation.Callback{Params: url.Values{"code": {"c-1"}, "state": {"s-1"}}, State: "s-1", Nonce: "n-1", PKCE: federation.NewPKCE()}
	if _, err := c.HandleCallback(ctx, cb); err != nil { // discovery and JWKS, once
		b.Fatal(err)
	}
	before := cpuTime()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.HandleCallback(ctx, cb); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(b.N), "gatehouse-cpu-ms/op")
}

func BenchmarkCallbackInMemory(b *testing.B) {
	u := newUpstream(b, "https://upstream.example")
	c, err := oidc.New(federation.Config{Issuer: u.issuer, ClientID: "gatehouse"}, federation.Secrets{ClientSecret: "s3cret"},
		oidc.Options{RedirectURI: redirectURI, HTTPClient: &http.Client{Transport: memory{u}}})
	if err != nil {
		b.Fatal(err)
	}
	benchCallback(b, c)
}

func BenchmarkCallbackLoopback(b *testing.B) {
	srv := newLoopback(b)
	u := newUpstream(b, srv.URL)
	srv.Config.Handler = u
	c, err := oidc.New(federation.Config{Issuer: u.issuer, ClientID: "gatehouse"}, federation.Secrets{ClientSecret: "s3cret"},
		oidc.Options{RedirectURI: redirectURI})
	if err != nil {
		b.Fatal(err)
	}
	benchCallback(b, c)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func newLoopback(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(nil)
	b.Cleanup(srv.Close)
	return srv
}
