package oidc_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// adminStatus calls the Admin API and returns the status and body, for
// requests that are meant to be refused.
func (o *op) adminStatus(t *testing.T, method, path string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, o.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	if method == http.MethodPatch {
		req.Header.Set("Content-Type", "application/merge-patch+json")
	}
	resp, err := o.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m
}

// tokenWith posts a token request authenticated with a fresh assertion,
// with a DPoP proof of a new key when dpop is set (dpop_test.go).
func (o *op) tokenWith(t *testing.T, c *rp, form url.Values, dpop bool) reply {
	t.Helper()
	form.Set("client_assertion_type", assertionType)
	form.Set("client_assertion", c.assertion(t, o.issuer(c.Tenant), nil))
	if dpop {
		return o.dpopToken(t, newDPoPKey(t), c.Tenant, form)
	}
	req, _ := http.NewRequest(http.MethodPost, o.issuer(c.Tenant)+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return o.do(t, req)
}

func TestFAPI2Profile(t *testing.T) {
	t.Parallel()
	bothStores(t, func(t *testing.T, o *op, clock *testClock) {
		// Static rules: each broken one is named in the 400.
		status, p := o.adminStatus(t, http.MethodPost, "/admin/v1/clients", map[string]any{
			"client_name": "fapi", "profile": "fapi2", "redirect_uris": []string{redirectURI},
			"token_endpoint_auth_method": "client_secret_post", "id_token_signed_response_alg": "RS256",
			"grant_types": []string{grantCode, grantDevice},
		})
		errs, _ := json.Marshal(p["errors"])
		if status != http.StatusBadRequest || !strings.Contains(string(errs), "/token_endpoint_auth_method") ||
			!strings.Contains(string(errs), "/id_token_signed_response_alg") || !strings.Contains(string(errs), "/grant_types/1") ||
			!strings.Contains(string(errs), "FAPI 2.0") {
			t.Fatalf("fapi2 client with broken rules: %d %v", status, p)
		}
		// Implicit and hybrid response types: refused by the contract,
		// which knows only code for every client (the profile's own rule,
		// in oauth.validateFAPI2, is the backstop behind it).
		status, p = o.adminStatus(t, http.MethodPost, "/admin/v1/clients", map[string]any{
			"client_name": "fapi", "profile": "fapi2", "redirect_uris": []string{redirectURI},
			"token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://app.example.com/jwks",
			"response_types": []string{"code id_token"},
		})
		errs, _ = json.Marshal(p["errors"])
		if status != http.StatusBadRequest || !strings.Contains(p["type"].(string), "validation") || !strings.Contains(string(errs), "/response_types/0") {
			t.Fatalf("fapi2 client with a hybrid response type: %d %v", status, p)
		}

		c := o.keyCodeClient(t, map[string]any{"profile": "fapi2"})
		if got := o.admin(t, "GET", "/admin/v1/clients/"+c.ID, nil); got["profile"] != "fapi2" || got["id_token_signed_response_alg"] != "ES256" {
			t.Fatalf("fapi2 client %v", got)
		}
		// Changing it to client_secret_basic breaks the profile.
		if status, p := o.adminStatus(t, http.MethodPatch, "/admin/v1/clients/"+c.ID, map[string]any{"token_endpoint_auth_method": "client_secret_basic"}); status != http.StatusBadRequest {
			t.Fatalf("patch to client_secret_basic: %d %v", status, p)
		}

		// Without PAR: refused on Gatehouse's page, nothing sent anywhere.
		q := parParams("s-1")
		q.Set("client_id", c.ID)
		wantOAuthError(t, o.authorizeWith(t, c, q), http.StatusBadRequest, "invalid_request")
		wantOAuthError(t, o.authorizeWith(t, c, url.Values{"client_id": {c.ID}, "request": {o.requestObject(t, c, clock.Now(), nil)}}),
			http.StatusBadRequest, "invalid_request")
		// Without PKCE S256: the push is refused.
		noPKCE := parParams("s-2")
		noPKCE.Del("code_challenge")
		noPKCE.Del("code_challenge_method")
		wantOAuthError(t, o.pushWithKey(t, c, noPKCE), http.StatusBadRequest, "invalid_request")
		// With a client secret: invalid_client.
		post := parParams("s-3")
		post.Set("client_id", c.ID)
		post.Set("client_secret", "whatever")
		wantOAuthError(t, o.post(t, o.issuer("")+"/oauth/par", post), http.StatusUnauthorized, "invalid_client")

		// The whole flow: PAR + PKCE + private_key_jwt, iss in the response,
		// a DPoP proof at the token endpoint.
		u := o.createUser(t, "")
		b := o.newBrowser(t)
		flow := func(state string) (code, verifier string) {
			t.Helper()
			verifier, challenge := pkce()
			params := parParams(state)
			params.Set("scope", "openid offline_access")
			params.Set("code_challenge", challenge)
			r := o.pushWithKey(t, c, params)
			if r.Status != http.StatusCreated {
				t.Fatalf("PAR: %d %s", r.Status, r.Raw)
			}
			cb := callback(t, b.authorize(t, o.authorizeURI(c, r.str("request_uri")), u, ""))
			if cb.Get("iss") != o.issuer("") || cb.Get("state") != state {
				t.Fatalf("authorization response %v", cb)
			}
			return cb.Get("code"), verifier
		}
		code, verifier := flow("s-4")
		exchange := url.Values{"grant_type": {grantCode}, "code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {verifier}}
		wantOAuthError(t, o.tokenWith(t, c, exchange, false), http.StatusBadRequest, "invalid_request") // no DPoP proof
		tok := o.tokenWith(t, c, exchange, true)
		if tok.Status != http.StatusOK || tok.str("access_token") == "" || tok.str("refresh_token") == "" {
			t.Fatalf("token: %d %s", tok.Status, tok.Raw)
		}
		// Refresh tokens of a confidential fapi2 client are not rotated:
		// the same one keeps working.
		rt := tok.str("refresh_token")
		for range 2 {
			r := o.tokenWith(t, c, url.Values{"grant_type": {grantRefresh}, "refresh_token": {rt}}, true)
			if r.Status != http.StatusOK || r.str("access_token") == "" || r.str("refresh_token") != "" {
				t.Fatalf("refresh: %d %s", r.Status, r.Raw)
			}
		}

		// A code older than 60 s is refused.
		code, verifier = flow("s-5")
		clock.Add(61 * time.Second)
		old := o.tokenWith(t, c, url.Values{"grant_type": {grantCode}, "code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {verifier}}, true)
		wantOAuthError(t, old, http.StatusBadRequest, "invalid_grant")
	})
}
