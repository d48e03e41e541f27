package dpop_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-iam/gatehouse/internal/protocol/dpop"
)

const tokenURL = "https://id.example.com/t/acme/oauth/token"

var now = time.Unix(1_800_000_000, 0)

// memReplay is a Replay over a map, as the database is one.
type memReplay struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (m *memReplay) use(_ context.Context, key []byte, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen == nil {
		m.seen = map[string]bool{}
	}
	if m.seen[string(key)] {
		return dpop.ErrReplayed
	}
	m.seen[string(key)] = true
	return nil
}

func verifier() *dpop.Verifier {
	return &dpop.Verifier{Now: func() time.Time { return now }, Replay: (&memReplay{}).use}
}

// proof signs claims with key (embedding its public jwk) and the headers.
func proof(t testing.TB, alg jose.SignatureAlgorithm, key any, claims map[string]any, headers map[jose.HeaderKey]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{EmbedJWK: headers["jwk"] == nil}).WithType("dpop+jwt")
	for k, v := range headers {
		opts = opts.WithHeader(k, v)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	jws, err := s.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func goodClaims() map[string]any {
	return map[string]any{"jti": "j-" + time.Now().Format(time.RFC3339Nano), "htm": "POST", "htu": tokenURL, "iat": now.Unix()}
}

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var tokenReq = dpop.Request{Method: "POST", URL: tokenURL}

func TestDPoPProofValid(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	ec := ecKey(t)
	for _, tc := range []struct {
		alg jose.SignatureAlgorithm
		key any
		pub any
	}{{jose.ES256, ec, &ec.PublicKey}, {jose.EdDSA, edKey, edKey.Public()}, {jose.RS256, rsaKey, &rsaKey.PublicKey}, {jose.PS256, rsaKey, &rsaKey.PublicKey}} {
		t.Run(string(tc.alg), func(t *testing.T) {
			p, err := verifier().Verify(t.Context(), proof(t, tc.alg, tc.key, goodClaims(), nil), tokenReq)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := dpop.Thumbprint(&jose.JSONWebKey{Key: tc.pub})
			if p.JKT != want || len(p.JKT) != 43 || !dpop.ValidJKT(p.JKT) {
				t.Fatalf("jkt %q, want %q", p.JKT, want)
			}
		})
	}
}

// TestDPoPThumbprintRFC7638 pins the thumbprint to RFC 7638 3.1's example.
func TestDPoPThumbprintRFC7638(t *testing.T) {
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON([]byte(`{"kty":"RSA","e":"AQAB","alg":"RS256","kid":"2011-04-29","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}`)); err != nil {
		t.Fatal(err)
	}
	if got, _ := dpop.Thumbprint(&k); got != "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs" {
		t.Fatalf("thumbprint %s", got)
	}
}

func TestDPoPProofRefused(t *testing.T) {
	ec := ecKey(t)
	with := func(k string, v any) map[string]any {
		c := goodClaims()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	other := ecKey(t)
	otherJWK := jose.JSONWebKey{Key: &other.PublicKey}
	privJWK := jose.JSONWebKey{Key: ec}
	for name, p := range map[string]string{
		"no typ":              proof(t, jose.ES256, ec, goodClaims(), map[jose.HeaderKey]any{"typ": "JWT"}),
		"jwt typ":             proof(t, jose.ES256, ec, goodClaims(), map[jose.HeaderKey]any{"typ": "at+jwt"}),
		"no jti":              proof(t, jose.ES256, ec, with("jti", nil), nil),
		"empty jti":           proof(t, jose.ES256, ec, with("jti", ""), nil),
		"long jti":            proof(t, jose.ES256, ec, with("jti", strings.Repeat("x", 300)), nil),
		"wrong htm":           proof(t, jose.ES256, ec, with("htm", "GET"), nil),
		"lowercase htm":       proof(t, jose.ES256, ec, with("htm", "post"), nil),
		"no htm":              proof(t, jose.ES256, ec, with("htm", nil), nil),
		"wrong htu":           proof(t, jose.ES256, ec, with("htu", "https://id.example.com/oauth/token"), nil),
		"other host htu":      proof(t, jose.ES256, ec, with("htu", "https://evil.example.com/t/acme/oauth/token"), nil),
		"no htu":              proof(t, jose.ES256, ec, with("htu", nil), nil),
		"stale iat":           proof(t, jose.ES256, ec, with("iat", now.Add(-6*time.Minute).Unix()), nil),
		"future iat":          proof(t, jose.ES256, ec, with("iat", now.Add(2*time.Minute).Unix()), nil),
		"huge iat":            proof(t, jose.ES256, ec, with("iat", 1e300), nil),
		"string iat":          proof(t, jose.ES256, ec, with("iat", "1800000000"), nil),
		"no iat":              proof(t, jose.ES256, ec, with("iat", nil), nil),
		"another key's jwk":   proof(t, jose.ES256, ec, goodClaims(), map[jose.HeaderKey]any{"jwk": otherJWK}),
		"private jwk":         proof(t, jose.ES256, ec, goodClaims(), map[jose.HeaderKey]any{"jwk": privJWK}),
		"symmetric HS256":     proof(t, jose.HS256, []byte(strings.Repeat("k", 32)), goodClaims(), map[jose.HeaderKey]any{"jwk": jose.JSONWebKey{Key: []byte(strings.Repeat("k", 32))}}),
		"no jwk":              proof(t, jose.ES256, ec, goodClaims(), map[jose.HeaderKey]any{"jwk": "none"}),
		"not a jwt":           "not.a.jwt",
		"empty":               "",
		"too large":           strings.Repeat("a", dpop.MaxProofSize+1),
		"unsigned (alg none)": "eyJhbGciOiJub25lIiwidHlwIjoiZHBvcCtqd3QifQ.eyJqdGkiOiJ4IiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vaWQuZXhhbXBsZS5jb20vdC9hY21lL29hdXRoL3Rva2VuIiwiaWF0IjoxODAwMDAwMDAwfQ.",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := verifier().Verify(t.Context(), p, tokenReq)
			var de *dpop.Error
			if !errors.As(err, &de) || de.Code != dpop.CodeInvalidProof {
				t.Fatalf("err = %v, want invalid_dpop_proof", err)
			}
		})
	}
}

func TestDPoPProofReplay(t *testing.T) {
	v := verifier()
	p := proof(t, jose.ES256, ecKey(t), goodClaims(), nil)
	if _, err := v.Verify(t.Context(), p, tokenReq); err != nil {
		t.Fatal(err)
	}
	_, err := v.Verify(t.Context(), p, tokenReq)
	var de *dpop.Error
	if !errors.As(err, &de) || !strings.Contains(de.Description, "already used") {
		t.Fatalf("replay: err = %v", err)
	}
	// A replay cache that cannot record refuses the proof, but not as the client's fault.
	v.Replay = func(context.Context, []byte, time.Time) error { return errors.New("db down") }
	if _, err := v.Verify(t.Context(), proof(t, jose.ES256, ecKey(t), goodClaims(), nil), tokenReq); err == nil || errors.As(err, &de) {
		t.Fatalf("store failure: err = %v", err)
	}
}

func TestDPoPProofATH(t *testing.T) {
	ec := ecKey(t)
	req := dpop.Request{Method: "GET", URL: "https://api.example.com/v1/things?x=1", AccessToken: "tok-123"}
	c := map[string]any{"jti": "a1", "htm": "GET", "htu": "https://API.example.com:443/v1/things", "iat": now.Unix(), "ath": dpop.ATH("tok-123")}
	if _, err := verifier().Verify(t.Context(), proof(t, jose.ES256, ec, c, nil), req); err != nil {
		t.Fatalf("good ath: %v", err)
	}
	for name, ath := range map[string]any{"other token": dpop.ATH("tok-456"), "missing": nil, "raw token": "tok-123"} {
		c := map[string]any{"jti": "a2" + name, "htm": "GET", "htu": "https://api.example.com/v1/things", "iat": now.Unix()}
		if ath != nil {
			c["ath"] = ath
		}
		if _, err := verifier().Verify(t.Context(), proof(t, jose.ES256, ec, c, nil), req); err == nil {
			t.Fatalf("%s ath accepted", name)
		}
	}
}

func TestDPoPNonce(t *testing.T) {
	clock := now
	n := dpop.NewNonces([]byte(strings.Repeat("s", 32)), time.Minute, func() time.Time { return clock })
	cur := n.Issue("tenant-a")
	req := tokenReq
	req.Nonce = func(s string) bool { return n.Valid("tenant-a", s) }
	ec := ecKey(t)
	var de *dpop.Error
	if _, err := verifier().Verify(t.Context(), proof(t, jose.ES256, ec, goodClaims(), nil), req); !errors.As(err, &de) || de.Code != dpop.CodeUseNonce {
		t.Fatalf("no nonce: err = %v", err)
	}
	c := goodClaims()
	c["nonce"] = cur
	if _, err := verifier().Verify(t.Context(), proof(t, jose.ES256, ec, c, nil), req); err != nil {
		t.Fatalf("current nonce: %v", err)
	}
	if n.Valid("tenant-b", cur) {
		t.Fatal("a nonce is good for another tenant")
	}
	clock = clock.Add(time.Minute) // the previous window's nonce still works
	if !n.Valid("tenant-a", cur) {
		t.Fatal("previous window's nonce refused")
	}
	clock = clock.Add(time.Minute)
	if n.Valid("tenant-a", cur) {
		t.Fatal("a nonce two windows old accepted")
	}
	// Another node with the same key accepts the nonce.
	n2 := dpop.NewNonces([]byte(strings.Repeat("s", 32)), time.Minute, func() time.Time { return clock })
	if !n2.Valid("tenant-a", n.Issue("tenant-a")) {
		t.Fatal("another node refuses the nonce")
	}
}

func TestDPoPSameURL(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://a.example/p", "https://a.example/p", true},
		{"https://A.example:443/p?q=1#f", "https://a.example/p", true},
		{"http://127.0.0.1:80/p", "http://127.0.0.1/p", true},
		{"http://[::1]:8080/p", "http://[::1]:8080/p", true},
		{"https://a.example/p", "http://a.example/p", false},
		{"https://a.example:8443/p", "https://a.example/p", false},
		{"https://a.example/P", "https://a.example/p", false},
		{"https://a.example/p/", "https://a.example/p", false},
		{"/p", "/p", false},
		{"ftp://a.example/p", "ftp://a.example/p", false},
		{"https://u@a.example/p", "https://a.example/p", false},
	} {
		if got := dpop.SameURL(tc.a, tc.b); got != tc.same {
			t.Errorf("SameURL(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

// FuzzDPoPProof feeds arbitrary proofs: never a panic, and anything
// accepted is a proof for the request.
func FuzzDPoPProof(f *testing.F) {
	ec := ecKey(f)
	f.Add(proof(f, jose.ES256, ec, goodClaims(), nil))
	f.Add(proof(f, jose.ES256, ec, map[string]any{"jti": 1, "htm": []int{1}, "htu": nil, "iat": "x"}, nil))
	f.Add("eyJhbGciOiJFUzI1NiJ9.e30.")
	f.Add("")
	f.Add("a.b.c")
	v := &dpop.Verifier{Now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := v.Verify(context.Background(), s, tokenReq)
		if err == nil && (p.JKT == "" || p.JTI == "") {
			t.Fatalf("accepted a proof without jkt or jti: %+v", p)
		}
	})
}

func BenchmarkDPoPProofCheck(b *testing.B) {
	ec := ecKey(b)
	v := verifier()
	proofs := make([]string, 256)
	for i := range proofs {
		c := goodClaims()
		c["jti"] = c["jti"].(string) + string(rune('a'+i%26)) + time.Duration(i).String()
		c["htm"], c["htu"], c["ath"] = "GET", "https://api.example.com/v1/things", dpop.ATH("tok")
		proofs[i] = proof(b, jose.ES256, ec, c, nil)
	}
	req := dpop.Request{Method: "GET", URL: "https://api.example.com/v1/things", AccessToken: "tok"}
	v.Replay = nil // the check alone; the replay cache is the caller's store
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := v.Verify(context.Background(), proofs[i%len(proofs)], req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkES256Verify is the reference for BenchmarkDPoPProofCheck: one
// bare ES256 verification on the same machine, at the same load.
func BenchmarkES256Verify(b *testing.B) {
	k := ecKey(b)
	sum := sha256.Sum256([]byte("payload"))
	sig, err := ecdsa.SignASN1(rand.Reader, k, sum[:])
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !ecdsa.VerifyASN1(&k.PublicKey, sum[:], sig) {
			b.Fatal("bad signature")
		}
	}
}
