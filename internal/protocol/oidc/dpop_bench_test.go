package oidc_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// BenchmarkDPoPClientCredentials is BenchmarkClientCredentials with a
// DPoP proof on every request (nonce included): the difference is the
// proof check (one ES256 verification, a thumbprint) and the replay
// cache's insert. The proofs are signed before the timer starts: signing
// is the client's cost.
func BenchmarkDPoPClientCredentials(b *testing.B) {
	s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	id, secret := benchClient(b, s)
	h := s.Handler
	form := "grant_type=client_credentials&scope=read"
	issuer := s.App.Provider.Issuer()
	send := func(proof string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("DPoP", proof)
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	d := newDPoPKey(b)
	d.nonce = send(d.proof(b, "POST", issuer+"/oauth/token", "")).Header().Get("DPoP-Nonce")
	proofs := make([]string, b.N)
	for i := range proofs {
		proofs[i] = d.proof(b, "POST", issuer+"/oauth/token", "")
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := send(proofs[next.Add(1)-1])
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"token_type":"DPoP"`) {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}
