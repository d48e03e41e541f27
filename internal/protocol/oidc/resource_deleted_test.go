package oidc_test

import (
	"testing"

	"golang.org/x/oauth2"
)

// A refresh token for an API that was deleted since is refused
// (invalid_grant): it does not fall back to a token for the client.
func TestRefreshForADeletedAPI(t *testing.T) {
	o := newOP(t)
	api := o.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": billingID, "name": "Billing",
		"scopes": []map[string]string{{"value": "invoices:read"}}})
	u := o.createUser(t, "")
	c := o.userClient(t, "", map[string]any{"scope": "openid offline_access"})
	rp := o.relyingParty(t, c, "", "openid", "offline_access", "invoices:read")
	br := o.newBrowser(t)
	l := newLogin()
	tok := rp.exchange(t, rp.code(t, br, u, "", l, oauth2.SetAuthURLParam("resource", billingID)), l)
	plain := newLogin()
	plainRP := o.relyingParty(t, c, "", "openid", "offline_access")
	plainTok := plainRP.exchange(t, plainRP.code(t, br, u, "", plain), plain)

	o.admin(t, "DELETE", "/admin/v1/apis/"+api["id"].(string), nil)
	if r := o.refresh(t, c, tok.RefreshToken); r.Status != 400 || r.str("error") != "invalid_grant" {
		t.Fatalf("refresh for the deleted API: %d %s", r.Status, r.Raw)
	}
	// A refresh token for the client itself is not affected.
	if r := o.refresh(t, c, plainTok.RefreshToken); r.Status != 200 {
		t.Fatalf("client refresh: %d %s", r.Status, r.Raw)
	}
}
