package oidc_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// The consent page of a third-party client says what each scope of the
// API the request is for means, in the API's own words (issue 14); a
// scope without a description, and the standard ones, keep the
// catalog's text. The descriptions are escaped like any text.
func TestConsentShowsAPIScopeDescriptions(t *testing.T) {
	o := newOP(t)
	o.admin(t, "POST", "/admin/v1/apis", map[string]any{"identifier": billingID, "name": "Billing API",
		"scopes": []map[string]string{{"value": "invoices:read", "description": "Read your <b>invoices</b>"}, {"value": "invoices:write"}}})
	u := o.createUser(t, "")
	c := o.webClient(t, "", nil) // third party: asks for consent
	rp := o.relyingParty(t, c, "", "openid", "invoices:read", "invoices:write")
	br := o.newBrowser(t)
	p := br.visit(t, http.MethodGet, rp.authURL(newLogin(), oauth2.SetAuthURLParam("resource", billingID)), nil)
	p = br.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
	if p.Status != 200 || !strings.Contains(p.Body, `name="decision"`) {
		t.Fatalf("no consent page: %d %v\n%s", p.Status, p.Left, p.Body)
	}
	for _, want := range []string{"<li>Billing API: Read your &lt;b&gt;invoices&lt;/b&gt;</li>", "<li>Use the permission: invoices:write</li>", "<li>Confirm who you are</li>"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("consent page lacks %q:\n%s", want, p.Body)
		}
	}
}
