package oidc_test

import (
	"net/http"
	"slices"
	"testing"

	"golang.org/x/oauth2"
)

// TestDefaultAPI: a tenant's default API is the audience of a token whose
// request names no resource but asks for one of the API's scopes (client
// credentials and a user's code flow); a sign-in for OpenID scopes alone
// is untouched, so userinfo keeps working. Only an API of the tenant can
// be the default, and deleting it needs cascade=true, which clears it.
func TestDefaultAPI(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "other")
	svc, billing := o.apiFixture(t, "")
	other := o.admin(t, "POST", "/admin/v1/tenants/other/apis", map[string]any{"identifier": "https://api.other.example/x", "name": "X",
		"scopes": []map[string]string{{"value": "x:read"}}})

	// Not an API of this tenant (another tenant's), nor any: refused.
	for _, id := range []string{"https://api.other.example/x", "https://api.example.com/none"} {
		if st, body := o.adminStatus(t, "PATCH", "/admin/v1/tenants/default", map[string]any{"default_api": id}); st != 400 {
			t.Fatalf("default_api %s: %d %v", id, st, body)
		}
	}
	ten := o.admin(t, "PATCH", "/admin/v1/tenants/default", map[string]any{"default_api": billingID})
	if ten["default_api"] != billingID {
		t.Fatalf("tenant %v", ten)
	}
	if got := o.admin(t, "GET", "/admin/v1/tenants/other", nil); got["default_api"] != nil {
		t.Fatalf("the other tenant's default_api %v", got["default_api"])
	}

	// Client credentials asking for the API's scope, without resource.
	tok := o.ccToken(t, svc, oauth2.AuthStyleInHeader, "invoices:read")
	claims := o.verifyWithJWKS(t, "", tok.AccessToken)
	if !slices.Equal(toStrings(claims["aud"]), []string{billingID}) || claims["scope"] != "invoices:read" {
		t.Fatalf("client credentials claims %v", claims)
	}
	// Without scopes the token is the client's, as before.
	plain := o.serviceClient(t, "", "client_secret_basic", "", nil)
	if claims := o.verifyWithJWKS(t, "", o.ccToken(t, plain, oauth2.AuthStyleInHeader).AccessToken); slices.Contains(toStrings(claims["aud"]), billingID) {
		t.Fatalf("a request without scopes got the default API: %v", claims)
	}

	// A user's code flow asking for an API scope gets a token for it; one
	// asking for OpenID scopes only does not, and userinfo answers.
	u := o.createUser(t, "")
	c := o.userClient(t, "", nil)
	r := o.relyingParty(t, c, "", "openid", "profile", "invoices:read")
	l := newLogin()
	tk := r.exchange(t, r.code(t, o.newBrowser(t), u, "", l), l)
	if claims := o.verifyWithJWKS(t, "", tk.AccessToken); !slices.Equal(toStrings(claims["aud"]), []string{billingID}) || claims["scope"] != "invoices:read" {
		t.Fatalf("code flow claims %v", claims)
	}
	r2 := o.relyingParty(t, c, "", "openid", "profile")
	l2 := newLogin()
	tk2 := r2.exchange(t, r2.code(t, o.newBrowser(t), u, "", l2), l2)
	if claims := o.verifyWithJWKS(t, "", tk2.AccessToken); slices.Contains(toStrings(claims["aud"]), billingID) {
		t.Fatalf("an OpenID-only sign-in got the default API: %v", claims)
	}
	req, _ := http.NewRequest("GET", o.issuer("")+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+tk2.AccessToken)
	if ui := o.do(t, req); ui.Status != 200 || ui.str("sub") != u.ID {
		t.Fatalf("userinfo: %d %s", ui.Status, ui.Raw)
	}

	// The default API cannot be deleted plainly; cascade clears it.
	if st, body := o.adminStatus(t, "DELETE", "/admin/v1/apis/"+billing, nil); st != 409 {
		t.Fatalf("delete the default API: %d %v", st, body)
	}
	if st, body := o.adminStatus(t, "DELETE", "/admin/v1/apis/"+billing+"?cascade=true", nil); st != 204 {
		t.Fatalf("delete the default API with cascade: %d %v", st, body)
	}
	if got := o.admin(t, "GET", "/admin/v1/tenants/default", nil); got["default_api"] != nil {
		t.Fatalf("default_api after cascade %v", got["default_api"])
	}
	// The other tenant's API is untouched and the default may be cleared.
	o.admin(t, "GET", "/admin/v1/tenants/other/apis/"+other["id"].(string), nil)
	if got := o.admin(t, "PATCH", "/admin/v1/tenants/default", map[string]any{"default_api": nil}); got["default_api"] != nil {
		t.Fatalf("cleared default_api %v", got["default_api"])
	}
}
