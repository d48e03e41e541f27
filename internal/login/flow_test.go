package login_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The password path end to end: /authorize -> login -> consent -> client,
// then the code exchange and a verified ID token.
func TestPasswordFlowWithConsent(t *testing.T) {
	e := newEnv(t)
	uid := e.createUser(userSpec{email: "jane@example.com"})
	c := e.createClient(clientSpec{name: "Third Party App"})
	b := newBrowser(t)

	a := newAuthz(c, "openid profile email offline_access")
	page := b.startLogin(e.issuer(""), a)
	if page.status != http.StatusOK || !strings.Contains(page.body, "Third Party App") {
		t.Fatalf("login page: %d %.500s", page.status, page.body)
	}
	assertPageHeaders(t, page, c.redirectURI)

	// The email is matched case-insensitively.
	consent := b.follow(b.signIn(page, "  Jane@Example.COM ", testPassword))
	if consent.status != http.StatusOK || !strings.Contains(consent.body, "Third Party App wants to access your account") {
		t.Fatalf("consent page: %d %.800s", consent.status, consent.body)
	}
	for _, want := range []string{"See your email address", "Stay signed in and access your data when you&#39;re away", "jane@example.com"} {
		if !strings.Contains(consent.body, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	assertPageHeaders(t, consent, c.redirectURI)

	done := b.submit(consent, consent.form(t, "authRequestID"), "decision", "allow")
	code := a.callback(t, done)
	if _, id := e.exchange(a, code); id.Subject != uid {
		t.Errorf("sub = %q, want %q", id.Subject, uid)
	}
	if got := done.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("completion Cache-Control = %q", got)
	}
}

// assertPageHeaders checks the security headers of a login page.
func assertPageHeaders(t *testing.T, r *resp, redirectURI string) {
	t.Helper()
	csp := r.header.Get("Content-Security-Policy")
	u, _ := url.Parse(redirectURI)
	for _, want := range []string{"default-src 'none'", "style-src 'self'", "img-src 'self' data: https:",
		"form-action 'self' " + u.Scheme + "://" + u.Host, "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	// Only our own webauthn.js (passkeys), never inline scripts.
	if strings.Contains(csp, "script-src") && (!strings.Contains(csp, "script-src 'self'; connect-src 'self'") || strings.Contains(csp, "unsafe")) {
		t.Errorf("pages run no script but ours: CSP %q", csp)
	}
	if got := r.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	if !strings.Contains(r.body, `<html lang="en">`) {
		t.Errorf("page has no lang attribute")
	}
}

// signedIn runs a first-party sign-in to give b a session, and returns
// the authorization's ID token subject.
func (e *env) signedIn(b *browser, c client, email string) {
	e.t.Helper()
	a := newAuthz(c, "openid email")
	page := b.startLogin(e.issuer(c.tenant), a)
	a.callback(e.t, b.signIn(page, email, testPassword))
}

// Every failed sign-in (wrong password, unknown user, disabled user, user
// without a password) answers with the same page, byte for byte, and sets
// no session.
func TestFailuresLookTheSame(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com", username: "jane"})
	e.createUser(userSpec{email: "off@example.com", disabled: true})
	e.createUser(userSpec{email: "nopw@example.com", noPassword: true})
	c := e.createClient(clientSpec{})
	b := newBrowser(t)
	page := b.startLogin(e.issuer(""), newAuthz(c, "openid"))
	form := page.form(t, "identifier", "password")

	attempts := map[string][2]string{
		"wrong password":   {"jane@example.com", "not the password"},
		"wrong password 2": {"jane", "not the password"},
		"unknown user":     {"nobody@example.com", "not the password"},
		"unknown username": {"nobody", testPassword},
		"disabled user":    {"off@example.com", testPassword},
		"no password":      {"nopw@example.com", testPassword},
		"empty password":   {"jane@example.com", ""},
	}
	var first string
	for name, cred := range attempts {
		r := b.submit(page, form, "identifier", cred[0], "password", cred[1])
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d", name, r.status)
		}
		if n := strings.Count(r.body, "Incorrect email/username or password."); n != 1 {
			t.Errorf("%s: the error appears %d times", name, n)
		}
		if strings.Contains(r.body, cred[0]) {
			t.Errorf("%s: the page echoes the identifier", name)
		}
		if sc := r.header.Values("Set-Cookie"); len(sc) > 0 {
			t.Errorf("%s: sets cookies %v", name, sc)
		}
		if first == "" {
			first = r.body
			for _, want := range []string{`role="alert"`, `aria-describedby="form-error"`, `aria-invalid="true"`,
				`autocomplete="username webauthn"`, `autocomplete="current-password"`, `<label for="identifier">`, `<label for="password">`} {
				if !strings.Contains(r.body, want) {
					t.Errorf("the failed page lacks %s", want)
				}
			}
		} else if r.body != first {
			t.Errorf("%s: the page differs from the other failures", name)
		}
	}
	// Still signed out: the page asks for the password again.
	if again := b.get(page.url.String()); again.form(t, "password").action == "" {
		t.Error("no sign-in form after failures")
	}
}

// CSRF: a missing, wrong or foreign token, or a foreign Origin, is refused
// with 403 and signs nobody in.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	page := b.startLogin(e.issuer(""), newAuthz(c, "openid"))
	form := page.form(t, "identifier", "password", "csrf")
	other := newBrowser(t)
	otherPage := other.startLogin(e.issuer(""), newAuthz(c, "openid"))
	foreign := otherPage.form(t, "csrf").values.Get("csrf")

	cases := map[string]func() *resp{
		"missing token": func() *resp {
			f := form
			f.values = url.Values{"authRequestID": form.values["authRequestID"]}
			return b.submit(page, f, "identifier", "jane@example.com", "password", testPassword)
		},
		"wrong token": func() *resp {
			return b.submit(page, form, "csrf", "AAAA"+form.values.Get("csrf")[4:], "identifier", "jane@example.com", "password", testPassword)
		},
		"token of another browser": func() *resp {
			return b.submit(page, form, "csrf", foreign, "identifier", "jane@example.com", "password", testPassword)
		},
		"foreign origin": func() *resp {
			b.header.Set("Origin", "https://evil.example")
			defer b.header.Del("Origin")
			return b.submit(page, form, "identifier", "jane@example.com", "password", testPassword)
		},
	}
	for name, do := range cases {
		r := do()
		if r.status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, r.status)
		}
		if sc := strings.Join(r.header.Values("Set-Cookie"), ";"); strings.Contains(sc, "gh_session") {
			t.Errorf("%s: set a session cookie", name)
		}
		if !strings.Contains(r.body, "Try again") {
			t.Errorf("%s: the page offers no way back", name)
		}
	}
	// The same origin, and the right token, work.
	b.header.Set("Origin", e.issuer(""))
	if r := b.submit(page, form, "identifier", "jane@example.com", "password", testPassword); r.status != http.StatusFound {
		t.Fatalf("valid submit: %d %.300s", r.status, r.body)
	}
}

// The CSRF cookie is Strict, HttpOnly and scoped to the tenant.
func TestCSRFCookie(t *testing.T) {
	e := newEnv(t)
	c := e.createClient(clientSpec{})
	b := newBrowser(t)
	r := b.get(b.get(newAuthz(c, "openid").url(e.issuer(""))).location(t).String())
	var found bool
	for _, sc := range (&http.Response{Header: r.header}).Cookies() {
		if sc.Name == "gh_csrf" {
			found = true
			if !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode || sc.Path != "/" || sc.Secure {
				t.Errorf("cookie %+v", sc)
			}
		}
	}
	if !found {
		t.Fatal("no gh_csrf cookie")
	}
}

// Single sign-on: a second authorization with the session skips the form;
// prompt=login and max_age=0 force it again.
func TestSessionReuseAndForcedLogin(t *testing.T) {
	e := newEnv(t)
	uid := e.createUser(userSpec{email: "jane@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	e.signedIn(b, c, "jane@example.com")

	a := newAuthz(c, "openid")
	code := a.callback(t, b.follow(b.get(a.url(e.issuer("")))))
	if _, id := e.exchange(a, code); id.Subject != uid {
		t.Errorf("sub = %q", id.Subject)
	}

	for _, force := range [][2]string{{"prompt", "login"}, {"max_age", "0"}} {
		a := newAuthz(c, "openid").with(force[0], force[1])
		page := b.startLogin(e.issuer(""), a)
		if page.status != http.StatusOK {
			t.Fatalf("%s: %d, want the form", force, page.status)
		}
		a.callback(t, b.signIn(page, "jane@example.com", testPassword))
	}
}

// prompt=none never shows a page.
func TestPromptNone(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	third := e.createClient(clientSpec{name: "Third"})
	first := e.createClient(clientSpec{firstParty: true})

	b := newBrowser(t)
	a := newAuthz(first, "openid").with("prompt", "none")
	a.callbackError(t, b.follow(b.get(a.url(e.issuer("")))), "login_required")

	e.signedIn(b, first, "jane@example.com")
	a = newAuthz(third, "openid").with("prompt", "none")
	a.callbackError(t, b.follow(b.get(a.url(e.issuer("")))), "consent_required")

	a = newAuthz(first, "openid").with("prompt", "none")
	a.callback(t, b.follow(b.get(a.url(e.issuer("")))))
}

// Consent: a first-party client skips it, a remembered one is not asked
// again (unless new scopes are asked for), and a denial reaches the client.
func TestConsent(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	third := e.createClient(clientSpec{name: "Third", logo: "https://cdn.example/logo.png"})
	first := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)

	a := newAuthz(first, "openid profile")
	a.callback(t, b.signIn(b.startLogin(e.issuer(""), a), "jane@example.com", testPassword))

	a = newAuthz(third, "openid email")
	consent := b.follow(b.follow(b.get(a.url(e.issuer("")))))
	if !strings.Contains(consent.body, `src="https://cdn.example/logo.png"`) {
		t.Error("the consent page does not show the client's logo")
	}
	a.callback(t, b.submit(consent, consent.form(t, "authRequestID"), "decision", "allow"))

	a = newAuthz(third, "openid email")
	a.callback(t, b.follow(b.get(a.url(e.issuer("")))))

	a = newAuthz(third, "openid email phone")
	consent = b.follow(b.follow(b.get(a.url(e.issuer("")))))
	if !strings.Contains(consent.body, "See your phone number") {
		t.Fatalf("a new scope should ask again: %d %.300s", consent.status, consent.body)
	}
	a.callbackError(t, b.submit(consent, consent.form(t, "authRequestID"), "decision", "deny"), "access_denied")

	// The consent page cannot be used without a session that satisfies
	// the request: it sends the browser to sign in.
	a = newAuthz(third, "openid address")
	id := b.get(a.url(e.issuer(""))).location(t).Query().Get("authRequestID")
	stranger := newBrowser(t)
	r := stranger.get(e.issuer("") + "/login/consent?authRequestID=" + id)
	if loc := r.location(t); loc.Path != "/login" {
		t.Errorf("consent without a session went to %s", loc)
	}
}

// An unregistered redirect_uri is never redirected to; an unknown request
// ID gets an explanation, not a redirect.
func TestErrorsNeverRedirect(t *testing.T) {
	e := newEnv(t)
	c := e.createClient(clientSpec{})
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	a.client.redirectURI = "https://evil.example/cb"
	// A browser gets a page, other clients the engine's JSON error.
	for accept, ctype := range map[string]string{"text/html,*/*": "text/html", "": "application/json"} {
		b.header.Set("Accept", accept)
		r := b.get(a.url(e.issuer("")))
		if r.status != http.StatusBadRequest || r.header.Get("Location") != "" || !strings.HasPrefix(r.header.Get("Content-Type"), ctype) {
			t.Errorf("Accept %q: authorize with a foreign redirect_uri: %d %s Location=%q", accept, r.status, r.header.Get("Content-Type"), r.header.Get("Location"))
		}
		if strings.Contains(r.body, "evil.example") {
			t.Errorf("the error reflects the redirect_uri: %s", r.body)
		}
		if ctype == "text/html" && !strings.Contains(r.body, "The application sent a sign-in request that cannot be accepted") {
			t.Errorf("error page: %.500s", r.body)
		}
	}
	b.header.Del("Accept")

	for _, u := range []string{"/login?authRequestID=unknown", "/login", "/login/consent?authRequestID=unknown"} {
		r := b.get(e.issuer("") + u)
		if r.status != http.StatusBadRequest || r.header.Get("Location") != "" ||
			!strings.Contains(r.body, "This sign-in link is invalid or has expired") {
			t.Errorf("%s: %d %q %.300s", u, r.status, r.header.Get("Location"), r.body)
		}
	}
}

// prompt=select_account offers the current account and another one.
func TestSelectAccount(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	e.createUser(userSpec{email: "max@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	e.signedIn(b, c, "jane@example.com")

	a := newAuthz(c, "openid").with("prompt", "select_account")
	page := b.startLogin(e.issuer(""), a)
	if !strings.Contains(page.body, "Continue as jane@example.com") {
		t.Fatalf("chooser: %.500s", page.body)
	}
	a.callback(t, b.submit(page, page.form(t, "action")))

	a = newAuthz(c, "openid").with("prompt", "select_account")
	page = b.startLogin(e.issuer(""), a)
	other := b.get(page.url.ResolveReference(&url.URL{Path: "/login", RawQuery: page.url.RawQuery + "&account=other"}).String())
	code := a.callback(t, b.signIn(other, "max@example.com", testPassword))
	if _, id := e.exchange(a, code); id.Subject == "" {
		t.Fatal("no subject")
	}
}

// id_token_hint names a user; signing in as another fails the request.
func TestIDTokenHintOtherUser(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	e.createUser(userSpec{email: "max@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	code := a.callback(t, b.signIn(b.startLogin(e.issuer(""), a), "jane@example.com", testPassword))
	_, tk := e.tokenRequest(c, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {c.redirectURI}, "code_verifier": {a.verifier}})

	a = newAuthz(c, "openid").with("id_token_hint", tk.IDToken).with("prompt", "login")
	page := b.startLogin(e.issuer(""), a)
	a.callbackError(t, b.signIn(page, "max@example.com", testPassword), "login_required")
}

// The page speaks German when the request or the browser asks for it.
func TestLanguage(t *testing.T) {
	e := newEnv(t)
	c := e.createClient(clientSpec{})
	cases := []struct {
		uiLocales, accept, lang, heading string
	}{
		{"de", "", "de", "Anmelden"},
		{"fr de-AT", "en", "de", "Anmelden"},
		{"", "de-CH,de;q=0.9,en;q=0.5", "de", "Anmelden"},
		{"", "fr-FR", "en", "Sign in"},
		{"en", "de", "en", "Sign in"},
	}
	for _, tc := range cases {
		b := newBrowser(t)
		if tc.accept != "" {
			b.header.Set("Accept-Language", tc.accept)
		}
		a := newAuthz(c, "openid")
		if tc.uiLocales != "" {
			a.with("ui_locales", tc.uiLocales)
		}
		page := b.startLogin(e.issuer(""), a)
		if !strings.Contains(page.body, `<html lang="`+tc.lang+`">`) || !strings.Contains(page.body, "<h1 id=\"page-title\">"+tc.heading+"</h1>") {
			t.Errorf("ui_locales=%q Accept-Language=%q: want %s, got %.400s", tc.uiLocales, tc.accept, tc.lang, page.body)
		}
	}
}

// RP-initiated logout without a post_logout_redirect_uri ends on our page.
func TestLoggedOut(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	e.signedIn(b, c, "jane@example.com")
	r := b.follow(b.get(e.issuer("") + "/end_session"))
	if r.status != http.StatusOK || !strings.Contains(r.body, "You are signed out") {
		t.Fatalf("logged out page: %d %.300s", r.status, r.body)
	}
	// The session is gone: the next authorization asks for the password.
	if page := b.startLogin(e.issuer(""), newAuthz(c, "openid")); page.status != http.StatusOK {
		t.Errorf("after logout: %d", page.status)
	}
}

// The assets are served from our origin, with the right types.
func TestAssets(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t)
	for path, ct := range map[string]string{"style.css": "text/css", "theme.css": "text/css", "logo.svg": "image/svg+xml"} {
		r := b.get(e.issuer("") + "/login/assets/" + path)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), ct) {
			t.Errorf("%s: %d %s", path, r.status, r.header.Get("Content-Type"))
		}
	}
	if r := b.get(e.issuer("") + "/login/assets/nope.js"); r.status != http.StatusNotFound {
		t.Errorf("unknown asset: %d", r.status)
	}
}

// A user disabled after signing in loses single sign-on at once.
func TestDisabledUserLosesSession(t *testing.T) {
	e := newEnv(t)
	uid := e.createUser(userSpec{email: "jane@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	e.signedIn(b, c, "jane@example.com")
	r, err := e.srv.Admin.DisableUserWithResponse(context.Background(), uid)
	if err != nil || r.StatusCode() != http.StatusOK {
		t.Fatalf("disable: %v %d %s", err, r.StatusCode(), r.Body)
	}
	page := b.startLogin(e.issuer(""), newAuthz(c, "openid"))
	if page.status != http.StatusOK {
		t.Fatalf("want the form, got %d", page.status)
	}
	if again := b.signIn(page, "jane@example.com", testPassword); !strings.Contains(again.body, "Incorrect email/username or password.") {
		t.Errorf("a disabled user signed in: %d", again.status)
	}
}
