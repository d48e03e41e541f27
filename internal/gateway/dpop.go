package gateway

import (
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/dpop"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

// DPoP (RFC 9449 7) at the gateway: a token bound to a key (cnf.jkt, in
// the JWT or the introspection answer) passes only with the DPoP scheme
// and a proof of that key for this request (htm, htu as the gateway sees
// the request, ath), used once. Used proofs are locks in the rate-limit
// store (Redis when several gateways share one, SET NX PX), so a proof
// replayed to another gateway is refused too.

// reasonDPoP is the refusal reason of a missing or bad proof.
const reasonDPoP = "dpop"

// newDPoPVerifier checks proofs, recording them in c.
func newDPoPVerifier(c ratelimit.Counter, now func() time.Time) *dpop.Verifier {
	return &dpop.Verifier{Now: now, Replay: func(ctx context.Context, key []byte, until time.Time) error {
		ttl := until.Sub(now())
		if ttl < time.Second {
			ttl = time.Second
		}
		fresh, err := c.Lock(ctx, "dpop:"+hex.EncodeToString(key), ttl)
		switch {
		case err != nil:
			return err
		case !fresh:
			return dpop.ErrReplayed
		}
		return nil
	}}
}

// dpopChallenge is a 401 with a DPoP challenge (RFC 9449 7.1).
func dpopChallenge(reason, code, description string) *refusal {
	p := httpx.NewProblem(http.StatusUnauthorized, httpx.TypeUnauthorized, "Unauthorized", description)
	p.Header = http.Header{"Www-Authenticate": {`DPoP error="` + code + `", error_description="` +
		strings.ReplaceAll(description, `"`, `'`) + `", algs="` + dpop.AlgsParam + `"`}}
	return &refusal{reason: reason, problem: p}
}

// checkDPoP applies the token's binding: a bound token needs the DPoP
// scheme and a proof of its key; an unbound one the Bearer scheme.
func (s *state) checkDPoP(ctx context.Context, id *Identity, req *described, scheme, tok string) *refusal {
	isDPoP := strings.EqualFold(scheme, dpop.Scheme)
	switch {
	case id.JKT == "" && isDPoP:
		return dpopChallenge(reasonInvalidToken, "invalid_token", "The access token is not DPoP-bound: use the Bearer scheme.")
	case id.JKT == "":
		return nil
	case !isDPoP:
		return dpopChallenge(reasonInvalidToken, "invalid_token", "The access token is DPoP-bound: use the DPoP scheme with a proof.")
	}
	proofs := req.header.Values(dpop.Header)
	if len(proofs) != 1 {
		return dpopChallenge(reasonDPoP, dpop.CodeInvalidProof, "Send one DPoP proof.")
	}
	pr, err := s.dpop.Verify(ctx, proofs[0], dpop.Request{Method: req.method, URL: req.url, AccessToken: tok})
	var de *dpop.Error
	switch {
	case errors.As(err, &de):
		return dpopChallenge(reasonDPoP, dpop.CodeInvalidProof, de.Description)
	case err != nil:
		return unavailable(reasonLimiterFailed, "The DPoP replay cache could not be reached.")
	case pr.JKT != id.JKT:
		return dpopChallenge(reasonDPoP, dpop.CodeInvalidProof, "The DPoP proof is not made with the token's key.")
	}
	return nil
}

// described is the request a decision is for: the proxied request, or
// the one a proxy describes to forward-auth.
type described struct {
	method string
	url    string // scheme://host/path as the client addressed it (htu)
	header http.Header
}

// requestURL is the URL the client addressed: the proxy's
// X-Forwarded-Proto and X-Forwarded-Host when it is trusted.
func requestURL(r *http.Request, trusted bool, host, path string) string {
	proto := "http"
	if r.TLS != nil {
		proto = "https"
	}
	if trusted {
		if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
			proto = p
		}
		if h := r.Header.Get("X-Forwarded-Host"); h != "" && host == r.Host {
			host = h
		}
	}
	return proto + "://" + host + path
}
