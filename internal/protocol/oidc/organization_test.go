package oidc_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// A sign-in scoped to an organization (authorize organization=, issue
// 14): tokens carry org_id and org_name and the permissions of the
// member's roles in it; non-members are refused with a page, another
// tenant's organization is unknown, and a removed member's refresh token
// stops working.
func TestOrganizationScopedLogin(t *testing.T) {
	o := newOP(t)
	o.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": billingID, "name": "Billing",
		"scopes": []map[string]string{{"value": "invoices:read"}, {"value": "invoices:write"}},
		"rbac":   true, "permissions_in_token": true})
	accountant := o.admin(t, "POST", "/admin/v1/roles", map[string]any{"name": "accountant",
		"permissions": []map[string]string{{"api": billingID, "scope": "invoices:write"}, {"api": billingID, "scope": "invoices:read"}}})
	reader := o.admin(t, "POST", "/admin/v1/roles", map[string]any{"name": "reader",
		"permissions": []map[string]string{{"api": billingID, "scope": "invoices:read"}}})
	acme := o.admin(t, "POST", "/admin/v1/organizations", map[string]any{"name": "acme-corp", "display_name": "Acme Corp"})
	globex := o.admin(t, "POST", "/admin/v1/organizations", map[string]any{"name": "globex"})
	o.admin(t, "POST", "/admin/v1/tenants", map[string]any{"slug": "other"})
	foreign := o.admin(t, "POST", "/admin/v1/tenants/other/organizations", map[string]any{"name": "acme-corp"})

	alice := o.createUser(t, "")
	acmeID := acme["id"].(string)
	o.admin(t, "POST", "/admin/v1/organizations/"+acmeID+"/members", map[string]any{"user_id": alice.ID})
	o.admin(t, "POST", "/admin/v1/organizations/"+acmeID+"/members/"+alice.ID+"/roles", map[string]any{"roles": []string{accountant["id"].(string)}})
	// Tenant-wide, Alice is only a reader.
	o.admin(t, "POST", "/admin/v1/users/"+alice.ID+"/roles", map[string]any{"roles": []string{reader["id"].(string)}})

	c := o.userClient(t, "", map[string]any{"scope": "openid offline_access roles"})
	rp := o.relyingParty(t, c, "", "openid", "offline_access", "roles", "invoices:read", "invoices:write")
	br := o.newBrowser(t)
	l := newLogin()
	code := rp.code(t, br, alice, "", l, oauth2.SetAuthURLParam("resource", billingID), oauth2.SetAuthURLParam("organization", "acme-corp"))
	tok := rp.exchange(t, code, l)
	claims := o.verifyWithJWKS(t, "", tok.AccessToken)
	if claims["org_id"] != acmeID || claims["org_name"] != "acme-corp" || claims["scope"] != "invoices:read invoices:write" ||
		!slices.Equal(toStrings(claims["permissions"]), []string{"invoices:read", "invoices:write"}) {
		t.Fatalf("access token claims %v", claims)
	}
	if _, id := rp.idToken(t, tok, l.Nonce); id["org_id"] != acmeID || id["org_name"] != "acme-corp" ||
		!slices.Equal(toStrings(id["roles"]), []string{"accountant"}) {
		t.Fatalf("ID token %v", id)
	}

	// Without organization=: the tenant-wide roles, no org claims.
	l = newLogin()
	tok2 := rp.exchange(t, rp.code(t, br, alice, "", l, oauth2.SetAuthURLParam("resource", billingID)), l)
	if claims := o.verifyWithJWKS(t, "", tok2.AccessToken); claims["org_id"] != nil || claims["scope"] != "invoices:read" {
		t.Fatalf("unscoped claims %v", claims)
	}

	// Userinfo with the roles scope answers the same roles claim: the
	// member's roles in the organization, else the tenant-wide ones.
	plain := o.relyingParty(t, c, "", "openid", "roles")
	for _, tc := range []struct {
		opts []oauth2.AuthCodeOption
		want []string
	}{
		{[]oauth2.AuthCodeOption{oauth2.SetAuthURLParam("organization", acmeID)}, []string{"accountant"}},
		{nil, []string{"reader"}},
	} {
		l := newLogin()
		at := plain.exchange(t, plain.code(t, br, alice, "", l, tc.opts...), l).AccessToken
		req, _ := http.NewRequest(http.MethodGet, o.issuer("")+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+at)
		if res := o.do(t, req); res.Status != 200 || !slices.Equal(toStrings(res.Body["roles"]), tc.want) {
			t.Fatalf("userinfo: %d %s, want roles %v", res.Status, res.Raw, tc.want)
		}
	}

	// A member of acme asking for globex (by ID): a page says why, and
	// the client gets no code.
	p := br.authorize(t, rp.authURL(newLogin(), oauth2.SetAuthURLParam("resource", billingID), oauth2.SetAuthURLParam("organization", globex["id"].(string))), alice, "")
	if p.Left != nil || p.Status != 403 || !strings.Contains(p.Body, "not a member of the organization") {
		t.Fatalf("non-member: %d %v\n%s", p.Status, p.Left, p.Body)
	}
	// Another tenant's organization, by ID or name, is unknown here.
	for _, v := range []string{foreign["id"].(string), "nothing", strings.Repeat("a", 200)} {
		p = br.authorize(t, rp.authURL(newLogin(), oauth2.SetAuthURLParam("resource", billingID), oauth2.SetAuthURLParam("organization", v)), alice, "")
		if q := callback(t, p); q.Get("error") != "invalid_request" || !strings.Contains(q.Get("error_description"), "organization") {
			t.Fatalf("organization %q: %s", v, p.Left)
		}
	}

	// The refresh keeps the organization; once Alice leaves it, her
	// refresh token stops working.
	r := o.refresh(t, c, tok.RefreshToken)
	if claims := o.verifyWithJWKS(t, "", r.str("access_token")); r.Status != 200 || claims["org_id"] != acmeID {
		t.Fatalf("refresh: %d %s", r.Status, r.Raw)
	}
	o.admin(t, "DELETE", "/admin/v1/organizations/"+acmeID+"/members/"+alice.ID, nil)
	if r2 := o.refresh(t, c, r.str("refresh_token")); r2.Status != 400 || r2.str("error") != "invalid_grant" {
		t.Fatalf("removed member's refresh: %d %s", r2.Status, r2.Raw)
	}
	// The unscoped refresh token is not affected.
	if r3 := o.refresh(t, c, tok2.RefreshToken); r3.Status != 200 {
		t.Fatalf("unscoped refresh: %d %s", r3.Status, r3.Raw)
	}
}
