package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/protocol/dpop"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// pushWithProof pushes params for c with a DPoP proof of d (none when d
// is nil), fetching a nonce first when the server asks for one.
func (o *op) pushWithProof(t *testing.T, c *rp, d *dpopKey, params url.Values) reply {
	t.Helper()
	u := o.issuer(c.Tenant) + "/oauth/par"
	send := func() reply {
		req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(params.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(url.QueryEscape(c.ID), url.QueryEscape(c.Secret))
		if d != nil {
			req.Header.Set("DPoP", d.proof(t, "POST", u, ""))
		}
		return o.do(t, req)
	}
	r := send()
	if d != nil && r.str("error") == dpop.CodeUseNonce {
		d.nonce = r.Header.Get("DPoP-Nonce")
		r = send()
	}
	return r
}

// TestDPoPWithPAR: a DPoP proof on the pushed request binds it (RFC 9449
// 10.1): the code is bound to the proof's key, a pushed dpop_jkt must be
// that key's, and the token request must prove the same key.
func TestDPoPWithPAR(t *testing.T) {
	dpopEngines(t, func(t *testing.T, o *op) {
		u := o.createUser(t, "")
		c := o.webClient(t, "", map[string]any{"metadata": map[string]any{"first_party": true}})
		d, attacker := newDPoPKey(t), newDPoPKey(t)

		// Attacker's cases first: a pushed dpop_jkt of another key than the
		// proof's, a malformed one, a proof for another endpoint, a replayed
		// proof.
		params := parParams("s-dpop")
		params.Set("dpop_jkt", attacker.jkt(t))
		wantOAuthError(t, o.pushWithProof(t, c, d, params), http.StatusBadRequest, dpop.CodeInvalidProof)
		params.Set("dpop_jkt", "not-a-thumbprint")
		wantOAuthError(t, o.push(t, c, params), http.StatusBadRequest, "invalid_request")
		params.Del("dpop_jkt")
		tokenURL := o.issuer("") + "/oauth/token"
		for name, proof := range map[string]string{
			"proof for the token endpoint": d.proof(t, "POST", tokenURL, ""),
			"proof for GET":                d.proof(t, "GET", o.issuer("")+"/oauth/par", ""),
			"not a proof":                  "x.y.z",
		} {
			req, _ := http.NewRequest(http.MethodPost, o.issuer("")+"/oauth/par", strings.NewReader(params.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(url.QueryEscape(c.ID), url.QueryEscape(c.Secret))
			req.Header.Set("DPoP", proof)
			if r := o.do(t, req); r.Status != http.StatusBadRequest || r.str("error") != dpop.CodeInvalidProof {
				t.Errorf("%s: %d %s", name, r.Status, r.Raw)
			}
		}

		// The proof's key binds the request; a matching dpop_jkt is fine.
		verifier, challenge := pkce()
		params.Set("code_challenge", challenge)
		params.Set("dpop_jkt", d.jkt(t))
		r := o.pushWithProof(t, c, d, params)
		if r.Status != http.StatusCreated {
			t.Fatalf("push with proof: %d %s", r.Status, r.Raw)
		}
		code := o.parCode(t, c, u, r.str("request_uri"))
		form := url.Values{"grant_type": {grantCode}, "code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {verifier}}
		wantOAuthError(t, o.tokenWithProof(t, "", form, "", c.ID, c.Secret), http.StatusBadRequest, dpop.CodeInvalidProof)
		wantOAuthError(t, o.dpopToken(t, attacker, "", form, c.ID, c.Secret), http.StatusBadRequest, "invalid_grant")
		tok := o.dpopToken(t, d, "", form, c.ID, c.Secret)
		if tok.Status != http.StatusOK || tok.str("token_type") != "DPoP" {
			t.Fatalf("code exchange: %d %s", tok.Status, tok.Raw)
		}
		wantJKT(t, o.verifyWithJWKS(t, "", tok.str("access_token")), d.jkt(t))

		// Without dpop_jkt the proof alone binds the code.
		verifier, challenge = pkce()
		params.Set("code_challenge", challenge)
		params.Del("dpop_jkt")
		r = o.pushWithProof(t, c, d, params)
		if r.Status != http.StatusCreated {
			t.Fatalf("push with proof only: %d %s", r.Status, r.Raw)
		}
		code = o.parCode(t, c, u, r.str("request_uri"))
		form.Set("code", code)
		form.Set("code_verifier", verifier)
		wantOAuthError(t, o.dpopToken(t, attacker, "", form, c.ID, c.Secret), http.StatusBadRequest, "invalid_grant")
		if tok := o.dpopToken(t, d, "", form, c.ID, c.Secret); tok.Status != http.StatusOK || tok.str("token_type") != "DPoP" {
			t.Fatalf("code exchange (proof only): %d %s", tok.Status, tok.Raw)
		}
	})
}

// parCode signs u in through the pushed request uri and returns the code.
func (o *op) parCode(t *testing.T, c *rp, u *user, uri string) string {
	t.Helper()
	br := o.newBrowser(t)
	p := br.visit(t, http.MethodGet, o.authorizeURI(c, uri), nil)
	p = br.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
	q := callback(t, p)
	if q.Get("code") == "" {
		t.Fatalf("no code: %v", q)
	}
	return q.Get("code")
}

// TestDPoPNonceSwitchedOff: with GATEHOUSE_DPOP_NONCE=false a proof
// without a nonce is taken at once, at the token and the PAR endpoints;
// everything else about the proof is still checked.
func TestDPoPNonceSwitchedOff(t *testing.T) {
	t.Parallel()
	o := newOPWith(t, testserver.Options{Env: map[string]string{"GATEHOUSE_DPOP_NONCE": "false"}})
	c := o.serviceClient(t, "", "client_secret_basic", "", nil)
	d := newDPoPKey(t)
	u := o.issuer("") + "/oauth/token"
	form := url.Values{"grant_type": {grantClientCred}}
	proof := d.proof(t, "POST", u, "")
	r := o.tokenWithProof(t, "", form, proof, c.ID, c.Secret)
	if r.Status != http.StatusOK || r.str("token_type") != "DPoP" {
		t.Fatalf("no nonce needed: %d %s", r.Status, r.Raw)
	}
	// The attacker's: a replayed proof, a proof for another URL.
	wantOAuthError(t, o.tokenWithProof(t, "", form, proof, c.ID, c.Secret), http.StatusBadRequest, dpop.CodeInvalidProof)
	wantOAuthError(t, o.tokenWithProof(t, "", form, d.proof(t, "POST", u+"x", ""), c.ID, c.Secret), http.StatusBadRequest, dpop.CodeInvalidProof)

	web := o.webClient(t, "", nil)
	if r := o.pushWithProof(t, web, d, parParams("s-off")); r.Status != http.StatusCreated || d.nonce != "" {
		t.Fatalf("push without a nonce: %d %s (nonce %q)", r.Status, r.Raw, d.nonce)
	}
}
