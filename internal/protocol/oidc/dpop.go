package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/gatehouse-iam/gatehouse/internal/protocol/dpop"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// DPoP (RFC 9449). The token endpoint checks a DPoP proof before the
// engine sees the request (dpopToken) and hands the proven key to the
// grant through the context; issue binds the tokens to it (cnf.jkt,
// token_type DPoP). Userinfo takes DPoP-bound tokens with the DPoP scheme
// and a proof of the same key (dpopUserinfo). Used proofs are remembered
// in the tenant's database (dpop_proofs), which every node shares; nonces
// are stateless (an HMAC of the time window), so any node accepts them.

// initDPoP sets up the proof verifier and the nonces; the nonce key
// derives from the master key, so every node agrees.
func (p *Provider) initDPoP() {
	p.dpop = &dpop.Verifier{Now: p.now, Replay: func(ctx context.Context, key []byte, until time.Time) error {
		t := tenancy.From(ctx)
		err := t.Store.DPoPProofs().Use(ctx, t.ID, key, until, p.now())
		if errors.Is(err, store.ErrReused) {
			return dpop.ErrReplayed
		}
		return err
	}}
	p.nonces = dpop.NewNonces(p.dir.Keyring.MAC("dpop-nonce-key", []byte("v1")), 0, p.now)
}

type proofKey struct{}

// dpopJKT is the key the token request proved, "" without a proof.
func dpopJKT(ctx context.Context) string {
	pr, _ := ctx.Value(proofKey{}).(*dpop.Proof)
	if pr == nil {
		return ""
	}
	return pr.JKT
}

// dpopToken checks the DPoP proof of a token request, if there is one:
// a bad one is answered here (400 invalid_dpop_proof, or use_dpop_nonce
// with a fresh DPoP-Nonce); a good one goes on in the context. Nonces are
// required unless the deployment switched them off.
func (p *Provider) dpopToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proofs := r.Header.Values(dpop.Header)
		if len(proofs) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		pr, ok := p.checkProof(w, r, proofs, p.endpoints.Token.Relative())
		if !ok {
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), proofKey{}, pr)))
	})
}

// checkProof verifies the one DPoP proof of a POST to the endpoint at
// path (the token and PAR endpoints), answering a bad one itself (400
// invalid_dpop_proof, or use_dpop_nonce with a fresh DPoP-Nonce). Nonces
// are required unless the deployment switched them off.
func (p *Provider) checkProof(w http.ResponseWriter, r *http.Request, proofs []string, path string) (*dpop.Proof, bool) {
	t := tenancy.From(r.Context())
	w.Header().Set(dpop.NonceHeader, p.nonces.Issue(t.ID))
	if len(proofs) > 1 {
		writeOAuthError(w, http.StatusBadRequest, nil, dpop.CodeInvalidProof, "send one DPoP proof")
		return nil, false
	}
	req := dpop.Request{Method: http.MethodPost, URL: t.Issuer + path}
	if !p.cfg.DPoPNonceDisabled {
		req.Nonce = func(n string) bool { return p.nonces.Valid(t.ID, n) }
	}
	pr, err := p.dpop.Verify(r.Context(), proofs[0], req)
	var de *dpop.Error
	switch {
	case errors.As(err, &de):
		writeOAuthError(w, http.StatusBadRequest, nil, de.Code, de.Description)
		return nil, false
	case err != nil:
		p.log.ErrorContext(r.Context(), "recording a DPoP proof failed", "tenant_id", t.ID, "err", err)
		writeOAuthError(w, http.StatusInternalServerError, nil, "server_error", "the request could not be served; try again later")
		return nil, false
	}
	return pr, true
}

// parDPoP binds a pushed authorization request to a DPoP key (RFC 9449
// 10.1): the proof on the push, if any, is checked like one at the token
// endpoint, and its key becomes the request's dpop_jkt; a pushed dpop_jkt
// must be a thumbprint and, with a proof, the proof's. It answers a bad
// request itself and reports whether to go on.
func (p *Provider) parDPoP(w http.ResponseWriter, r *http.Request, form url.Values) bool {
	jkt, err := dpopJKTParam(form)
	if err != nil {
		parError(w, http.StatusBadRequest, err.(*oidc.Error))
		return false
	}
	proofs := r.Header.Values(dpop.Header)
	if len(proofs) == 0 {
		return true
	}
	pr, ok := p.checkProof(w, r, proofs, parPath)
	if !ok {
		return false
	}
	if jkt != "" && jkt != pr.JKT {
		writeOAuthError(w, http.StatusBadRequest, nil, dpop.CodeInvalidProof, "dpop_jkt is not the thumbprint of the DPoP proof's key")
		return false
	}
	form.Set("dpop_jkt", pr.JKT)
	return true
}

// bindDPoP binds g to the request's proven key, or refuses a client that
// must use DPoP (dpop_bound_access_tokens, RFC 9449 5.2) and sent none.
func bindDPoP(ctx context.Context, c *client, g *tokens.Grant) error {
	g.JKT = dpopJKT(ctx)
	if g.JKT == "" && c.settings.DPoPBoundAccessTokens {
		return dpopErr(dpop.CodeInvalidProof, "this client must send a DPoP proof")
	}
	return nil
}

// checkBoundKey refuses a grant bound to a DPoP key (a code's dpop_jkt, a
// public client's refresh token) when the request proves another key or
// none.
func checkBoundKey(ctx context.Context, bound, what string) error {
	if bound == "" {
		return nil
	}
	switch jkt := dpopJKT(ctx); {
	case jkt == "":
		return dpopErr(dpop.CodeInvalidProof, "the "+what+" is bound to a DPoP key: send a DPoP proof")
	case jkt != bound:
		return oidc.ErrInvalidGrant().WithDescription("the %s is bound to another DPoP key", what)
	}
	return nil
}

func dpopErr(code, desc string) *oidc.Error { return protoErr(code, desc) }

// dpopJKTParam reads dpop_jkt of an authorization request (RFC 9449 10):
// "" when absent; invalid_request when it is not a SHA-256 thumbprint.
func dpopJKTParam(form map[string][]string) (string, error) {
	v := form["dpop_jkt"]
	if len(v) == 0 || v[0] == "" {
		return "", nil
	}
	if len(v) > 1 || !dpop.ValidJKT(v[0]) {
		return "", oidc.ErrInvalidRequest().WithDescription("dpop_jkt must be one base64url SHA-256 JWK thumbprint")
	}
	return v[0], nil
}

type dpopJKTKey struct{}

func withDPoPJKT(ctx context.Context, jkt string) context.Context {
	if jkt == "" {
		return ctx
	}
	return context.WithValue(ctx, dpopJKTKey{}, jkt)
}

func dpopJKTFrom(ctx context.Context) string {
	s, _ := ctx.Value(dpopJKTKey{}).(string)
	return s
}

// dpopUserinfo serves userinfo for the DPoP scheme (RFC 9449 7): the
// token must be DPoP-bound and the proof (htm, htu, ath) made with its
// key. A DPoP-bound token sent as a Bearer token is refused. Bearer
// requests of bearer tokens go on to the engine.
func (p *Provider) dpopUserinfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		t := tenancy.From(ctx)
		scheme, tok, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		tok = strings.TrimSpace(tok)
		challenge := func(status int, code, desc string) {
			h := http.Header{"WWW-Authenticate": {`DPoP error="` + code + `", error_description="` + desc + `", algs="` + dpop.AlgsParam + `"`}}
			writeOAuthError(w, status, h, code, desc)
		}
		switch {
		case strings.EqualFold(scheme, dpop.Scheme) && tok != "":
		case strings.EqualFold(scheme, "Bearer") && tok != "":
			// Bearer tokens are verified again by the engine's handler
			// (from the cache); a bound one must not pass as a bearer.
			if at, err := p.tokens.Verify(ctx, t, tok); err == nil && at.JKT != "" {
				challenge(http.StatusUnauthorized, "invalid_token", "the access token is DPoP-bound: use the DPoP scheme with a proof")
				return
			}
			next.ServeHTTP(w, r)
			return
		default:
			next.ServeHTTP(w, r)
			return
		}
		at, err := p.tokens.Verify(ctx, t, tok)
		if err != nil && !errors.Is(err, tokens.ErrInactive) {
			p.log.ErrorContext(ctx, "userinfo: verify token failed", "tenant_id", t.ID, "err", err)
			writeOAuthError(w, http.StatusInternalServerError, nil, "server_error", "the request could not be served; try again later")
			return
		}
		if err != nil {
			challenge(http.StatusUnauthorized, "invalid_token", "the access token is invalid or expired")
			return
		}
		if at.JKT == "" {
			challenge(http.StatusUnauthorized, "invalid_token", "the access token is not DPoP-bound: use the Bearer scheme")
			return
		}
		proofs := r.Header.Values(dpop.Header)
		if len(proofs) != 1 {
			challenge(http.StatusUnauthorized, dpop.CodeInvalidProof, "send one DPoP proof")
			return
		}
		pr, err := p.dpop.Verify(ctx, proofs[0], dpop.Request{Method: r.Method, URL: t.Issuer + p.endpoints.Userinfo.Relative(), AccessToken: tok})
		var de *dpop.Error
		switch {
		case errors.As(err, &de):
			challenge(http.StatusUnauthorized, dpop.CodeInvalidProof, de.Description)
			return
		case err != nil:
			p.log.ErrorContext(ctx, "recording a DPoP proof failed", "tenant_id", t.ID, "err", err)
			writeOAuthError(w, http.StatusInternalServerError, nil, "server_error", "the request could not be served; try again later")
			return
		case pr.JKT != at.JKT:
			challenge(http.StatusUnauthorized, dpop.CodeInvalidProof, "the DPoP proof is not made with the token's key")
			return
		}
		if at.UserID == "" || !hasScope(at.Scopes, "openid") {
			challenge(http.StatusForbidden, "insufficient_scope", "the token has no openid scope")
			return
		}
		claims, err := p.userInfo(ctx, t, at)
		var oe *oidc.Error
		switch {
		case errors.As(err, &oe) && oe.ErrorType == oidc.ServerError:
			writeOAuthError(w, http.StatusInternalServerError, nil, "server_error", oe.Description)
			return
		case err != nil:
			challenge(http.StatusUnauthorized, "invalid_token", "the user is no longer active")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(claims)
	})
}

// writeOAuthError writes an OAuth error body (RFC 6749 5.2) with h.
func writeOAuthError(w http.ResponseWriter, status int, h http.Header, code, desc string) {
	for k, v := range h {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}
