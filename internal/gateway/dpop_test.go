package gateway_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/dpop"
)

type dpopKey struct {
	k *ecdsa.PrivateKey
	n int
}

func newDPoPKey(t *testing.T) *dpopKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &dpopKey{k: k}
}

func (d *dpopKey) jkt() string {
	s, _ := dpop.Thumbprint(&jose.JSONWebKey{Key: &d.k.PublicKey})
	return s
}

func (d *dpopKey) proof(t *testing.T, method, u, token string) string {
	d.n++
	c := map[string]any{"jti": "p" + strconv.Itoa(d.n) + strconv.FormatInt(time.Now().UnixNano(), 36), "htm": method, "htu": u,
		"iat": time.Now().Unix(), "ath": dpop.ATH(token)}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: d.k}, (&jose.SignerOptions{EmbedJWK: true}).WithType("dpop+jwt"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(c)
	jws, _ := s.Sign(b)
	out, _ := jws.CompactSerialize()
	return out
}

func wantDPoPRefusal(t *testing.T, r reply, code string) {
	t.Helper()
	wantProblem(t, r, 401, httpx.TypeUnauthorized)
	if h := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "DPoP ") || !strings.Contains(h, `error="`+code+`"`) || !strings.Contains(h, `algs="`) {
		t.Fatalf("WWW-Authenticate %q, want DPoP error=%s", h, code)
	}
}

// A DPoP-bound token passes the gateway only with the DPoP scheme and a
// fresh proof of its key for this request; stolen and sent as Bearer, with
// another key's proof, or with a replayed proof, it is refused.
func TestDPoPBoundTokens(t *testing.T) {
	s := newStub(t)
	d, attacker := newDPoPKey(t), newDPoPKey(t)
	tok := s.is.token(t, map[string]any{"region": "eu", "cnf": map[string]any{"jkt": d.jkt()}})
	u := s.url + "/billing/invoices/7"
	dpopHdr := func(proof string) map[string]string {
		return map[string]string{"Authorization": "DPoP " + tok, "DPoP": proof}
	}
	p := d.proof(t, "GET", u, tok)
	if r := call(t, "GET", u+"?x=1", "", dpopHdr(p)); r.Status != 200 {
		t.Fatalf("bound token with its proof: %d %s", r.Status, r.Body)
	}
	wantDPoPRefusal(t, call(t, "GET", u, "", dpopHdr(p)), dpop.CodeInvalidProof)                                              // replayed
	wantDPoPRefusal(t, call(t, "GET", u, tok, nil), "invalid_token")                                                          // stolen, as Bearer
	wantDPoPRefusal(t, call(t, "GET", u, "", dpopHdr(attacker.proof(t, "GET", u, tok))), dpop.CodeInvalidProof)               // another key
	wantDPoPRefusal(t, call(t, "GET", u, "", dpopHdr(d.proof(t, "POST", u, tok))), dpop.CodeInvalidProof)                     // another method
	wantDPoPRefusal(t, call(t, "GET", u, "", dpopHdr(d.proof(t, "GET", s.url+"/billing/other", tok))), dpop.CodeInvalidProof) // another URL
	wantDPoPRefusal(t, call(t, "GET", u, "", dpopHdr(d.proof(t, "GET", u, tok+"x"))), dpop.CodeInvalidProof)                  // another token's ath
	wantDPoPRefusal(t, call(t, "GET", u, "", map[string]string{"Authorization": "DPoP " + tok}), dpop.CodeInvalidProof)       // no proof
	// A bearer token keeps working as Bearer, not with the DPoP scheme.
	plain := s.is.token(t, map[string]any{"region": "eu"})
	if r := call(t, "GET", u, plain, nil); r.Status != 200 {
		t.Fatalf("bearer token: %d %s", r.Status, r.Body)
	}
	wantDPoPRefusal(t, call(t, "GET", u, "", map[string]string{"Authorization": "DPoP " + plain, "DPoP": d.proof(t, "GET", u, plain)}), "invalid_token")

	// Forward-auth checks the proof against the request the proxy describes.
	fa := s.url + "/forward-auth"
	orig := "https://api.example.com/billing/invoices/7"
	desc := func(proof string) map[string]string {
		return map[string]string{"Authorization": "DPoP " + tok, "DPoP": proof, "X-Forwarded-Proto": "https",
			"X-Forwarded-Host": "api.example.com", "X-Forwarded-Uri": "/billing/invoices/7?x=1", "X-Forwarded-Method": "GET"}
	}
	p = d.proof(t, "GET", orig, tok)
	if r := call(t, "GET", fa, "", desc(p)); r.Status != 200 {
		t.Fatalf("forward-auth with a proof: %d %s", r.Status, r.Body)
	}
	wantDPoPRefusal(t, call(t, "GET", fa, "", desc(p)), dpop.CodeInvalidProof)
	wantDPoPRefusal(t, call(t, "GET", fa, "", desc(d.proof(t, "GET", s.url+"/billing/invoices/7", tok))), dpop.CodeInvalidProof)
	wantDPoPRefusal(t, call(t, "GET", fa, tok, map[string]string{"X-Forwarded-Uri": "/billing/invoices/7", "X-Forwarded-Method": "GET"}), "invalid_token")
}
