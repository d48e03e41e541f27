package login_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// A named tenant has its own login under its issuer, its own cookies, and
// a default-tenant session does not sign anyone in to it.
func TestNamedTenant(t *testing.T) {
	e := newEnv(t)
	e.createTenant("acme", "Acme Corp")
	e.createUser(userSpec{email: "jane@example.com"})
	acmeUser := e.createUser(userSpec{tenant: "acme", email: "jane@example.com"})
	web := e.createClient(clientSpec{firstParty: true})
	acme := e.createClient(clientSpec{tenant: "acme", name: "Acme Portal"})

	b := newBrowser(t)
	e.signedIn(b, web, "jane@example.com")

	a := newAuthz(acme, "openid email")
	page := b.startLogin(e.issuer("acme"), a)
	if page.status != http.StatusOK || !strings.HasPrefix(page.url.Path, "/t/acme/login") {
		t.Fatalf("acme login: %d %s", page.status, page.url)
	}
	for _, want := range []string{"Acme Corp", "Acme Portal", `action="/t/acme/login"`, `href="/t/acme/login/assets/style.css`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("acme page lacks %s", want)
		}
	}
	signedIn := b.signIn(page, "jane@example.com", testPassword)
	var sessionCookie bool
	for _, c := range (&http.Response{Header: signedIn.header}).Cookies() {
		if c.Name == "gh_session_acme" && c.Path == "/t/acme" {
			sessionCookie = true
		}
	}
	if !sessionCookie {
		t.Errorf("no acme session cookie in %v", signedIn.header.Values("Set-Cookie"))
	}
	consent := b.follow(signedIn)
	if !strings.HasPrefix(consent.url.Path, "/t/acme/login/consent") {
		t.Fatalf("consent at %s", consent.url)
	}
	code := a.callback(t, b.submit(consent, consent.form(t, "authRequestID"), "decision", "allow"))
	if _, id := e.exchange(a, code); id.Subject != acmeUser {
		t.Errorf("sub = %q, want acme's user %q", id.Subject, acmeUser)
	}

	// An acme request cannot be answered on the default tenant's pages.
	id := b.get(newAuthz(acme, "openid").url(e.issuer("acme"))).location(t).Query().Get("authRequestID")
	if r := b.get(e.issuer("") + "/login?authRequestID=" + id); r.status != http.StatusBadRequest {
		t.Errorf("acme request on the default login: %d", r.status)
	}
	if r := b.get(e.srv.URL + "/t/nope/login?authRequestID=" + id); r.status != http.StatusNotFound {
		t.Errorf("unknown tenant: %d", r.status)
	}
}

// The device page and the JSON API live under the tenant's issuer too.
func TestNamedTenantDeviceAndAPI(t *testing.T) {
	e := newEnv(t)
	e.createTenant("acme", "Acme Corp")
	e.createUser(userSpec{tenant: "acme", username: "jane", email: "jane@acme.example"})
	tv := e.createClient(clientSpec{tenant: "acme", name: "Acme TV", grants: []gen.GrantType{gen.GrantTypeDeviceCode}})
	spa := e.createClient(clientSpec{tenant: "acme", firstParty: true})

	d := e.startDevice(tv, "openid")
	if d.VerificationURI != e.issuer("acme")+"/device" {
		t.Errorf("verification_uri = %q", d.VerificationURI)
	}
	b := newBrowser(t)
	confirm := b.signIn(b.get(d.VerificationURIComplete), "JANE", testPassword)
	b.submit(confirm, confirm.form(t, "user_code"), "action", "approve")
	if status, tk := e.pollDevice(tv, d); status != http.StatusOK || tk.AccessToken == "" {
		t.Fatalf("poll: %d %+v", status, tk)
	}

	a := newAuthz(spa, "openid")
	res := decodeResult(t, b.postJSON(e.issuer("acme")+"/login/api/authenticate", gen.LoginAuthenticateRequest{
		AuthRequestID: b.authRequestID(e.issuer("acme"), a), Identifier: "jane@acme.example", Password: testPassword,
	}))
	code := a.callback(t, &resp{status: http.StatusFound, header: http.Header{"Location": {*res.RedirectTo}}, url: b.lastURL})
	e.exchange(a, code)
}

// A tenant's branding reaches its pages: the logo in the header and the
// colour in theme.css, with readable text around it.
func TestTenantBranding(t *testing.T) {
	e := newEnv(t)
	logo, colour := "https://acme.example/logo.svg", "#fde047" // a light yellow: needs dark text
	e.createTenant("acme", "Acme Corp", gen.Branding{LogoURI: &logo, PrimaryColor: &colour})
	c := e.createClient(clientSpec{tenant: "acme"})
	b := newBrowser(t)
	page := b.startLogin(e.issuer("acme"), newAuthz(c, "openid"))
	if !strings.Contains(page.body, `<img class="brand-logo" src="https://acme.example/logo.svg"`) {
		t.Errorf("no tenant logo: %.800s", page.body)
	}
	theme := b.get(e.issuer("acme") + "/login/assets/theme.css")
	if !strings.Contains(theme.body, "--brand:#fde047;--on-brand:#111827;--link:#1d4ed8") {
		t.Errorf("theme.css = %q", theme.body)
	}
	if def := b.get(e.issuer("") + "/login/assets/theme.css"); !strings.Contains(def.body, "--brand:#1d4ed8;--on-brand:#ffffff") {
		t.Errorf("default theme.css = %q", def.body)
	}
}
