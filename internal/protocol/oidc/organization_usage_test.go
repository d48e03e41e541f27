package oidc_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// A client's organization_usage (issue 14): "required" gets a member of
// several organizations the hosted login's picker, a member of one that
// organization silently, and a user in none a refusal page; "optional"
// offers "no organization" too; the picker takes only the user's own
// organizations of the tenant, behind its CSRF token.
func TestOrganizationUsage(t *testing.T) {
	o := newOP(t)
	acme := o.admin(t, "POST", "/admin/v1/organizations", map[string]any{"name": "acme-corp", "display_name": "Acme Corp"})["id"].(string)
	globex := o.admin(t, "POST", "/admin/v1/organizations", map[string]any{"name": "globex", "display_name": "Globex"})["id"].(string)
	initech := o.admin(t, "POST", "/admin/v1/organizations", map[string]any{"name": "initech"})["id"].(string)
	o.admin(t, "POST", "/admin/v1/tenants", map[string]any{"slug": "other"})
	foreign := o.admin(t, "POST", "/admin/v1/tenants/other/organizations", map[string]any{"name": "acme-corp"})["id"].(string)
	member := func(u *user, orgs ...string) {
		for _, id := range orgs {
			o.admin(t, "POST", "/admin/v1/organizations/"+id+"/members", map[string]any{"user_id": u.ID})
		}
	}
	several, one, none := o.createUser(t, ""), o.createUser(t, ""), o.createUser(t, "")
	member(several, acme, globex)
	member(one, globex)

	client := func(usage string) *relyingParty {
		c := o.userClient(t, "", map[string]any{"metadata": map[string]any{"first_party": true, "organization_usage": usage}})
		return o.relyingParty(t, c, "", "openid")
	}
	required := client("required")
	orgOf := func(rp *relyingParty, p *page, l login) any {
		t.Helper()
		q := callback(t, p)
		if q.Get("code") == "" {
			t.Fatalf("no code: %s", p.Left)
		}
		return o.verifyWithJWKS(t, "", rp.exchange(t, q.Get("code"), l).AccessToken)["org_id"]
	}

	// Several: the picker lists exactly the user's organizations.
	br := o.newBrowser(t)
	l := newLogin()
	p := br.authorize(t, required.authURL(l), several, "")
	if p.Left != nil || p.Status != 200 || !strings.Contains(p.Body, `data-organization="`+acme+`"`) ||
		!strings.Contains(p.Body, `data-organization="`+globex+`"`) || strings.Contains(p.Body, initech) ||
		strings.Contains(p.Body, `data-organization=""`) || !strings.Contains(p.Body, "Acme Corp") {
		t.Fatalf("picker: %d %v\n%s", p.Status, p.Left, p.Body)
	}
	picker := p.form(t, "organization")

	// Forged choices: an organization the user is not in, another
	// tenant's, none at all; and the form without its CSRF token.
	for _, id := range []string{initech, foreign, "", strings.Repeat("x", 100)} {
		if q := br.submit(t, picker, "organization", id); q.Left != nil || q.Status != 403 {
			t.Fatalf("choice %q: %d %v", id, q.Status, q.Left)
		}
	}
	noCSRF := htmlForm{Action: picker.Action, Fields: picker.Fields}
	noCSRF.Fields = map[string][]string{"authRequestID": picker.Fields["authRequestID"]}
	if q := br.submit(t, noCSRF, "organization", acme); q.Left != nil || q.Status != 403 {
		t.Fatalf("without CSRF: %d %v", q.Status, q.Left)
	}
	if got := orgOf(required, br.submit(t, picker, "organization", globex), l); got != globex {
		t.Fatalf("picked globex, token org_id %v", got)
	}

	// prompt=none cannot show the picker: interaction_required.
	p = br.authorize(t, required.authURL(newLogin(), oauth2.SetAuthURLParam("prompt", "none")), nil, "")
	if q := callback(t, p); q.Get("error") != "interaction_required" {
		t.Fatalf("prompt=none: %s", p.Left)
	}
	// organization= skips the picker.
	l = newLogin()
	if got := orgOf(required, br.authorize(t, required.authURL(l, oauth2.SetAuthURLParam("organization", "acme-corp")), nil, ""), l); got != acme {
		t.Fatalf("organization=acme-corp: org_id %v", got)
	}

	// One: silently.
	l = newLogin()
	if got := orgOf(required, o.newBrowser(t).authorize(t, required.authURL(l), one, ""), l); got != globex {
		t.Fatalf("one organization: org_id %v", got)
	}

	// None: a page says why (en and de), and the client gets no code.
	p = o.newBrowser(t).authorize(t, required.authURL(newLogin()), none, "")
	if p.Left != nil || p.Status != 403 || !strings.Contains(p.Body, "not a member of any") {
		t.Fatalf("no organization: %d %v\n%s", p.Status, p.Left, p.Body)
	}
	p = o.newBrowser(t).authorize(t, required.authURL(newLogin(), oauth2.SetAuthURLParam("ui_locales", "de")), none, "")
	if p.Status != 403 || !strings.Contains(p.Body, "in keiner Mitglied") {
		t.Fatalf("no organization (de): %d\n%s", p.Status, p.Body)
	}

	// Optional: members pick one or none; others are not asked.
	optional := client("optional")
	br = o.newBrowser(t)
	l = newLogin()
	p = br.authorize(t, optional.authURL(l), one, "")
	if p.Status != 200 || !strings.Contains(p.Body, `data-organization=""`) {
		t.Fatalf("optional picker: %d %v\n%s", p.Status, p.Left, p.Body)
	}
	if got := orgOf(optional, br.submit(t, p.form(t, "organization"), "organization", ""), l); got != nil {
		t.Fatalf("optional without organization: org_id %v", got)
	}
	l = newLogin()
	if got := orgOf(optional, o.newBrowser(t).authorize(t, optional.authURL(l), none, ""), l); got != nil {
		t.Fatalf("optional, no organizations: org_id %v", got)
	}

	// None (the default): nobody is asked.
	l = newLogin()
	unused := client("none")
	if got := orgOf(unused, o.newBrowser(t).authorize(t, unused.authURL(l), several, ""), l); got != nil {
		t.Fatalf("usage none: org_id %v", got)
	}

	// The Admin API refuses an unknown usage.
	req, _ := http.NewRequest(http.MethodPost, o.URL+"/admin/v1/clients", strings.NewReader(
		`{"client_name":"x","redirect_uris":["`+redirectURI+`"],"metadata":{"organization_usage":"always"}}`))
	req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	res := o.do(t, req)
	if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Raw), "/metadata/organization_usage") {
		t.Fatalf("bad usage: %d %s", res.Status, res.Raw)
	}
}

// A sign-in scoped to an organization shows its branding (name, logo,
// colour through theme.css?org=) and only the connections it allows;
// another connection cannot be started for it, by URL or by email domain.
func TestOrganizationLoginPage(t *testing.T) {
	o := newOP(t)
	for _, id := range []string{"upstream", "elsewhere"} {
		o.admin(t, "POST", "/admin/v1/connections", map[string]any{"id": id, "type": "oidc", "display_name": "IdP " + id,
			"issuer": "https://" + id + ".example.com", "client_id": "gh", "client_secret": "s3cret-" + id,
			"domains": []string{id + ".example"}})
	}
	acme := o.admin(t, "POST", "/admin/v1/organizations", map[string]any{"name": "acme-corp", "display_name": "Acme Corp",
		"branding":    map[string]any{"logo_uri": "https://acme.example/logo.svg", "primary_color": "#0f766e"},
		"connections": []string{"upstream"}})["id"].(string)
	c := o.userClient(t, "", nil)
	rp := o.relyingParty(t, c, "", "openid")
	br := o.newBrowser(t)

	p := br.visit(t, http.MethodGet, rp.authURL(newLogin(), oauth2.SetAuthURLParam("organization", "acme-corp")), nil)
	if p.Status != 200 || !strings.Contains(p.Body, `<span class="brand-name">Acme Corp</span>`) ||
		!strings.Contains(p.Body, `src="https://acme.example/logo.svg"`) || !strings.Contains(p.Body, "theme.css?org="+acme) ||
		!strings.Contains(p.Body, `data-connection="upstream"`) || strings.Contains(p.Body, `data-connection="elsewhere"`) {
		t.Fatalf("organization's sign-in page: %d\n%s", p.Status, p.Body)
	}
	id := p.URL.Query().Get("authRequestID")
	css := br.visit(t, http.MethodGet, o.URL+"/login/assets/theme.css?org="+acme, nil)
	if !strings.Contains(css.Body, "--brand:#0f766e") {
		t.Fatalf("theme.css?org: %s", css.Body)
	}
	// Another tenant's or an unknown organization: the tenant's colours.
	if css = br.visit(t, http.MethodGet, o.URL+"/login/assets/theme.css?org=nothing", nil); strings.Contains(css.Body, "0f766e") {
		t.Fatalf("theme.css of an unknown organization: %s", css.Body)
	}
	// The other connection, by URL or by its email domain: not for Acme.
	if q := br.visit(t, http.MethodGet, o.URL+"/login/connections/elsewhere/start?authRequestID="+id, nil); q.Status != 404 || q.Left != nil {
		t.Fatalf("start another connection: %d %v", q.Status, q.Left)
	}
	q := br.submit(t, p.form(t, "password"), "identifier", "bob@elsewhere.example", "password", "x")
	if q.Left != nil || q.Status != 200 || !strings.Contains(q.Body, `id="form-error"`) {
		t.Fatalf("home realm of another connection: %d %v", q.Status, q.Left)
	}
	// Without organization=: the tenant's page and every connection.
	p = br.visit(t, http.MethodGet, rp.authURL(newLogin()), nil)
	if strings.Contains(p.Body, "Acme Corp") || strings.Contains(p.Body, "theme.css?org") ||
		!strings.Contains(p.Body, `data-connection="upstream"`) || !strings.Contains(p.Body, `data-connection="elsewhere"`) {
		t.Fatalf("tenant's sign-in page:\n%s", p.Body)
	}
}
