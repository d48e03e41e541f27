package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// TestTenantIsolation: a tenant's clients, tokens and keys mean nothing
// at another tenant's endpoints.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "acme")
	def := o.serviceClient(t, "", "client_secret_basic", "api:read", nil)
	acme := o.serviceClient(t, "acme", "client_secret_basic", "api:read", nil)
	acmeOpaque := o.serviceClient(t, "acme", "client_secret_basic", "api:read", map[string]any{"metadata": map[string]any{"access_token_format": "opaque"}})

	acmeTok := o.ccToken(t, acme, oauth2.AuthStyleInHeader).AccessToken
	checkAccessToken(t, o, acme, acmeTok, "api:read")
	defTok := o.ccToken(t, def, oauth2.AuthStyleInHeader).AccessToken
	acmeOpaqueTok := o.ccToken(t, acmeOpaque, oauth2.AuthStyleInHeader).AccessToken

	t.Run("clients", func(t *testing.T) {
		cc := url.Values{"grant_type": {grantClientCred}}
		wantOAuthError(t, o.token(t, "", cc, acme.ID, acme.Secret), http.StatusUnauthorized, "invalid_client")
		wantOAuthError(t, o.token(t, "acme", cc, def.ID, def.Secret), http.StatusUnauthorized, "invalid_client")
		// Introspection and revocation authenticate per tenant as well.
		r := o.post(t, o.issuer("")+"/oauth/introspect", url.Values{"token": {acmeTok}}, acme.ID, acme.Secret)
		wantOAuthError(t, r, http.StatusUnauthorized, "invalid_client")
		r = o.post(t, o.issuer("acme")+"/revoke", url.Values{"token": {defTok}}, def.ID, def.Secret)
		wantOAuthError(t, r, http.StatusUnauthorized, "invalid_client")
	})

	t.Run("tokens", func(t *testing.T) {
		o.wantActive(t, acme, acmeTok)
		o.wantActive(t, def, defTok)
		o.wantInactive(t, def, acmeTok)
		o.wantInactive(t, def, acmeOpaqueTok)
		o.wantInactive(t, acme, defTok)
		// A foreign token is not revoked by a same-named request elsewhere.
		o.revoke(t, def, acmeTok)
		o.wantActive(t, acme, acmeTok)
	})

	t.Run("authorize", func(t *testing.T) {
		web := o.webClient(t, "acme", nil)
		_, challenge := pkce()
		q := url.Values{"client_id": {web.ID}, "response_type": {"code"}, "redirect_uri": {redirectURI}, "scope": {"openid"},
			"state": {"s"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
		wantNoRedirect(t, o.get(t, o.issuer("")+"/authorize?"+q.Encode()))
		r := o.get(t, o.issuer("acme")+"/authorize?"+q.Encode())
		if r.Status != http.StatusFound || !strings.HasPrefix(r.Header.Get("Location"), o.issuer("acme")+"/login?") {
			t.Fatalf("acme authorize: %d %s", r.Status, r.Header.Get("Location"))
		}
		// A request pushed at acme cannot be used at the default tenant.
		uri := o.push(t, web, parParams("s")).str("request_uri")
		wantNoRedirect(t, o.get(t, o.issuer("")+"/authorize?"+url.Values{"client_id": {web.ID}, "request_uri": {uri}}.Encode()))
		if r := o.get(t, o.authorizeURI(web, uri)); r.Status != http.StatusFound {
			t.Fatalf("acme PAR after the default tenant refused it: %d %s", r.Status, r.Raw)
		}
	})

	t.Run("userinfo", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, o.issuer("")+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+acmeTok)
		if r := o.do(t, req); r.Status != http.StatusUnauthorized {
			t.Fatalf("acme token at the default userinfo: %d %s", r.Status, r.Raw)
		}
	})
}
