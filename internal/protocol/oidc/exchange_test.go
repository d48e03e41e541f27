package oidc_test

import (
	"net/http"
	"net/url"
	"testing"
)

const grantExchange = "urn:ietf:params:oauth:grant-type:token-exchange"

// TestTokenExchangeDelegation: a web app holding a user's token trades it
// for a narrower token for another API (RFC 8693), with "act" naming it.
func TestTokenExchangeDelegation(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	c := o.userClient(t, "", map[string]any{
		"grant_types": []string{grantCode, grantRefresh, grantExchange},
		"metadata":    map[string]any{"first_party": true, "token_exchange_audiences": []string{"https://orders.example"}},
	})
	r := o.relyingParty(t, c, "", "openid", "profile", "email")
	l := newLogin()
	tok := r.exchange(t, r.code(t, o.newBrowser(t), u, "", l), l)

	form := url.Values{
		"grant_type":         {grantExchange},
		"subject_token":      {tok.AccessToken},
		"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"},
		"audience":           {"https://orders.example"},
		"scope":              {"openid email"},
	}
	res := o.token(t, "", form, c.ID, c.Secret)
	if res.Status != http.StatusOK || res.str("issued_token_type") != "urn:ietf:params:oauth:token-type:access_token" {
		t.Fatalf("exchange: %d %v", res.Status, res.Body)
	}
	claims := o.verifyWithJWKS(t, "", res.str("access_token"))
	act, _ := claims["act"].(map[string]any)
	if claims["sub"] != u.ID || act["sub"] != c.ID || claims["scope"] != "openid email" ||
		!hasAll(toStrings(claims["aud"]), "https://orders.example") {
		t.Fatalf("exchanged token claims %v", claims)
	}
	rs := o.serviceClient(t, "", "client_secret_basic", "", nil)
	o.wantActive(t, rs, res.str("access_token"))

	// Wider scope, unlisted audience, a client without the grant, a garbage
	// subject token, a subject token issued to someone else: all refused.
	wider := cloneForm(form)
	wider.Set("scope", "openid phone")
	wantOAuthError(t, o.token(t, "", wider, c.ID, c.Secret), http.StatusBadRequest, "invalid_scope")
	other := cloneForm(form)
	other.Set("audience", "https://elsewhere.example")
	wantOAuthError(t, o.token(t, "", other, c.ID, c.Secret), http.StatusBadRequest, "invalid_target")
	bad := cloneForm(form)
	bad.Set("subject_token", "not-a-token")
	wantOAuthError(t, o.token(t, "", bad, c.ID, c.Secret), http.StatusBadRequest, "invalid_grant")
	thief := o.userClient(t, "", map[string]any{
		"grant_types": []string{grantCode, grantExchange},
		"metadata":    map[string]any{"first_party": true, "token_exchange_audiences": []string{"https://orders.example"}},
	})
	wantOAuthError(t, o.token(t, "", form, thief.ID, thief.Secret), http.StatusBadRequest, "invalid_grant")
	plain := o.userClient(t, "", nil)
	wantOAuthError(t, o.token(t, "", form, plain.ID, plain.Secret), http.StatusBadRequest, "unauthorized_client")

	// Revoking the user's tokens ends the exchanged token too.
	ten := mustTenant(t, o, "")
	if _, _, err := o.App.Provider.RevokeUserTokens(t.Context(), ten, u.ID, false); err != nil {
		t.Fatal(err)
	}
	o.wantInactive(t, rs, res.str("access_token"))
}

func cloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}
