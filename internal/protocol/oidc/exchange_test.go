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

// TestTokenExchangeForAnAPI: a web app trades the user's token for a
// token of a registered API (RFC 8707 resource with RFC 8693): aud is the
// API, the scopes are those the client was granted to it, cut to what the
// user's roles permit. Without a grant, with a scope not granted, or for
// another tenant's API, the exchange is refused.
func TestTokenExchangeForAnAPI(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "other")
	api := o.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": billingID, "name": "Billing",
		"scopes": []map[string]string{{"value": "invoices:read"}, {"value": "invoices:write"}, {"value": "invoices:pay"}},
		"rbac":   true, "permissions_in_token": true, "access_token_lifetime_seconds": 300})
	o.admin(t, "POST", "/admin/v1/tenants/other/apis", map[string]any{"identifier": reportsID, "name": "Reports",
		"scopes": []map[string]string{{"value": "reports:read"}}})
	role := o.admin(t, "POST", "/admin/v1/roles", map[string]any{"name": "reader",
		"permissions": []map[string]string{{"api": billingID, "scope": "invoices:read"}}})
	u := o.createUser(t, "")
	o.admin(t, "POST", "/admin/v1/users/"+u.ID+"/roles", map[string]any{"roles": []string{role["id"].(string)}})

	c := o.userClient(t, "", map[string]any{"grant_types": []string{grantCode, grantRefresh, grantExchange}})
	r := o.relyingParty(t, c, "", "openid", "profile", "email")
	l := newLogin()
	tok := r.exchange(t, r.code(t, o.newBrowser(t), u, "", l), l)
	form := url.Values{
		"grant_type":         {grantExchange},
		"subject_token":      {tok.AccessToken},
		"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"},
		"resource":           {billingID},
	}
	// No grant to the API: refused, though the API exists.
	wantOAuthError(t, o.token(t, "", form, c.ID, c.Secret), http.StatusBadRequest, "invalid_target")

	o.admin(t, "PUT", "/admin/v1/clients/"+c.ID+"/apis/"+api["id"].(string), map[string]any{"scopes": []string{"invoices:read", "invoices:write"}})
	o.App.Provider.APIsChanged(mustTenant(t, o, "").ID)
	res := o.token(t, "", form, c.ID, c.Secret)
	if res.Status != http.StatusOK {
		t.Fatalf("exchange for the API: %d %v", res.Status, res.Body)
	}
	claims := o.verifyWithJWKS(t, "", res.str("access_token"))
	act, _ := claims["act"].(map[string]any)
	// invoices:write is granted to the client but no role of the user
	// permits it; invoices:pay is neither.
	if claims["sub"] != u.ID || act["sub"] != c.ID || claims["scope"] != "invoices:read" ||
		!hasAll(toStrings(claims["aud"]), billingID) || len(toStrings(claims["aud"])) != 1 ||
		!hasAll(toStrings(claims["permissions"]), "invoices:read") || res.str("scope") != "invoices:read" {
		t.Fatalf("exchanged token claims %v, response %v", claims, res.Body)
	}
	if life := claims["exp"].(float64) - claims["iat"].(float64); life != 300 {
		t.Fatalf("lifetime %v, want the API's 300 s", life)
	}
	rs := o.serviceClient(t, "", "client_secret_basic", "", nil)
	if in := o.wantActive(t, rs, res.str("access_token")); !hasAll(toStrings(in.Body["aud"]), billingID) {
		t.Fatalf("introspection %v", in.Body)
	}

	// The audience parameter names the API too.
	aud := cloneForm(form)
	aud.Del("resource")
	aud.Set("audience", billingID)
	if res := o.token(t, "", aud, c.ID, c.Secret); res.Status != http.StatusOK {
		t.Fatalf("exchange with audience: %d %v", res.Status, res.Body)
	}
	// A scope the client was not granted, one the API lacks, and another
	// tenant's API (unknown here, and not on the allow-list): refused.
	pay := cloneForm(form)
	pay.Set("scope", "invoices:pay")
	wantOAuthError(t, o.token(t, "", pay, c.ID, c.Secret), http.StatusBadRequest, "invalid_scope")
	undefined := cloneForm(form)
	undefined.Set("scope", "reports:read")
	wantOAuthError(t, o.token(t, "", undefined, c.ID, c.Secret), http.StatusBadRequest, "invalid_scope")
	foreign := cloneForm(form)
	foreign.Set("resource", reportsID)
	wantOAuthError(t, o.token(t, "", foreign, c.ID, c.Secret), http.StatusBadRequest, "invalid_target")
}
