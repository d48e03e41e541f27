package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
)

// TestEngineStorageRefusalsUnreached runs every protocol endpoint, each
// grant with good and bad input and every client authentication method,
// and checks that the engine never called one of the op.Storage methods
// Gatehouse refuses (storage.go): each would log oidc.UnreachableMsg.
func TestEngineStorageRefusalsUnreached(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	u := o.createUser(t, "")
	c := o.userClient(t, "", map[string]any{
		"grant_types": []string{grantCode, grantRefresh, grantDevice, grantExchange},
		"metadata":    map[string]any{"first_party": true, "token_exchange_audiences": []string{"https://orders.example"}},
	})
	r := o.relyingParty(t, c, "", "openid", "profile", "offline_access")
	b := o.newBrowser(t)
	l := newLogin()
	code := r.code(t, b, u, "", l)
	tok := r.exchange(t, code, l)
	iss := o.issuer("")

	// Refresh (good and bad), device grant and polling.
	if res := o.refresh(t, c, tok.RefreshToken); res.Status != http.StatusOK {
		t.Fatalf("refresh: %d %s", res.Status, res.Raw)
	}
	wantOAuthError(t, o.refresh(t, c, "ghr_unknown"), http.StatusBadRequest, "invalid_grant")
	if res := o.deviceTokens(t, b, c, u, "openid"); res.Status != http.StatusOK {
		t.Fatalf("device: %d %s", res.Status, res.Raw)
	}
	wantOAuthError(t, o.token(t, "", url.Values{"grant_type": {grantDevice}, "device_code": {"nope"}}, c.ID, c.Secret),
		http.StatusBadRequest, "invalid_grant")

	// Token exchange, jwt-bearer (refused), an unknown grant.
	o.token(t, "", url.Values{"grant_type": {grantExchange}, "subject_token": {tok.AccessToken},
		"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}, "audience": {"https://orders.example"}}, c.ID, c.Secret)
	o.token(t, "", url.Values{"grant_type": {grantJWTBearer}, "assertion": {"a.b.c"}})
	o.token(t, "", url.Values{"grant_type": {"password"}, "username": {"x"}, "password": {"y"}}, c.ID, c.Secret)

	// Client credentials with every authentication method, and a wrong secret.
	for _, m := range []string{"client_secret_basic", "client_secret_post"} {
		sc := o.serviceClient(t, "", m, "", nil)
		style := oauth2.AuthStyleInHeader
		if m == "client_secret_post" {
			style = oauth2.AuthStyleInParams
		}
		o.ccToken(t, sc, style)
		wantOAuthError(t, o.token(t, "", url.Values{"grant_type": {grantClientCred}}, sc.ID, "wrong"), http.StatusUnauthorized, "invalid_client")
	}
	kc := o.keyClient(t, "", []string{grantClientCred}, "openid")
	if res := o.token(t, "", url.Values{"grant_type": {grantClientCred}, "client_assertion_type": {assertionType},
		"client_assertion": {kc.assertion(t, iss+"/oauth/token", nil)}}); res.Status != http.StatusOK {
		t.Fatalf("private_key_jwt: %d %s", res.Status, res.Raw)
	}

	// Userinfo, introspection (POST, and the engine's other methods),
	// revocation, end session, keys by POST.
	ui, err := http.NewRequest(http.MethodGet, iss+"/userinfo", nil)
	if err != nil {
		t.Fatal(err)
	}
	ui.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if res := o.do(t, ui); res.Status != http.StatusOK {
		t.Fatalf("userinfo: %d %s", res.Status, res.Raw)
	}
	rs := o.serviceClient(t, "", "client_secret_basic", "", nil)
	o.wantActive(t, rs, tok.AccessToken)
	q := url.Values{"token": {tok.AccessToken}, "client_id": {rs.ID}, "client_secret": {rs.Secret}}
	if res := o.get(t, iss+"/oauth/introspect?"+q.Encode()); res.Status != http.StatusBadRequest {
		t.Fatalf("GET introspection: %d %s, want 400", res.Status, res.Raw)
	}
	o.revoke(t, c, tok.AccessToken)
	o.revoke(t, c, "ghr_unknown")
	o.get(t, iss+"/end_session?client_id="+c.ID)
	o.post(t, iss+"/keys", url.Values{})
	// Code replay last: it revokes what the code produced.
	wantOAuthError(t, o.token(t, "", url.Values{"grant_type": {grantCode}, "code": {code}, "redirect_uri": {redirectURI},
		"code_verifier": {l.Verifier}}, c.ID, c.Secret), http.StatusBadRequest, "invalid_grant")

	if logs := o.Logs.String(); strings.Contains(logs, oidc.UnreachableMsg) {
		t.Fatalf("the engine reached a refused storage method:\n%s", logs)
	}
}
