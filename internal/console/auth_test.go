package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The bootstrap-style admin, with an authenticator app, signs in through
// the hosted login (password, then TOTP) and gets the console; the
// console cookie is HttpOnly, SameSite=Strict and scoped to /console, and
// the dashboard says plainly that analytics are not configured.
func TestAdminSignsInWithTOTP(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e := newEnv(t, nil, database...)
		uid := e.user("", "admin@example.com", directory.RoleConsoleAdmin)
		secret := e.enrolTOTP(uid)
		b := e.browser()
		id, base := b.startSignIn("")
		res := b.password(base, id, "admin@example.com")
		if res["status"] != "mfa_required" || res["redirect_to"] != nil {
			t.Fatalf("password alone: %v, want mfa_required without a redirect", res)
		}
		r := b.callback(b.totp(base, id, secret))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/" {
			t.Fatalf("callback: %d %s", r.status, r.header.Get("Location"))
		}
		var ck *http.Cookie
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name == "gh_console" && c.Value != "" {
				ck = c
			}
		}
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/console" {
			t.Fatalf("console cookie %+v, want HttpOnly, SameSite=Strict, Path=/console", ck)
		}
		d := b.get("/console/")
		if d.status != http.StatusOK || !strings.Contains(d.body, `id="chart-signins"`) || !strings.Contains(d.body, "admin@example.com") {
			t.Fatalf("dashboard: %d %.1000s", d.status, d.body)
		}
		if csp := d.header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("CSP %q", csp)
		}
		if strings.Contains(d.body, "gha_") || strings.Contains(d.body, "Bearer") {
			t.Error("an admin token reached the page")
		}
	})
}

// A user without a console role signs in fine at the hosted login but
// gets 403 from the console, and no console session.
func TestUserWithoutRoleGets403(t *testing.T) {
	e := newEnv(t, nil)
	e.user("", "plain@example.com")
	b := e.browser()
	id, base := b.startSignIn("")
	r := b.callback(b.password(base, id, "plain@example.com"))
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "gatehouse:admin") {
		t.Fatalf("callback without a role: %d %.500s", r.status, r.body)
	}
	if b.consoleCookie() {
		t.Fatal("a console session for a user without a role")
	}
	if g := b.get("/console/users"); g.status != http.StatusSeeOther || g.header.Get("Location") != "/console/signin" {
		t.Fatalf("/console/users without a session: %d %s", g.status, g.header.Get("Location"))
	}
	// A role on another tenant's user of the same email does not count,
	// and neither does superadmin outside the default tenant.
	e.tenant("acme")
	uid := e.user("acme", "plain@example.com")
	sc, _ := e.srv.App.Directory.Resolve(context.Background(), "acme")
	if err := e.srv.App.Directory.GrantConsoleRole(context.Background(), sc, uid, directory.RoleConsoleSuperadmin); err == nil {
		t.Fatal("superadmin granted outside the default tenant")
	}
}

// A sign-in that still owes its second factor gets nothing: the login
// gives no code, the half-signed-in browser has no console, and a
// callback without the code is refused.
func TestSignInOwingMFAGetsNothing(t *testing.T) {
	e := newEnv(t, nil)
	uid := e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	e.enrolTOTP(uid)
	b := e.browser()
	id, base := b.startSignIn("")
	res := b.password(base, id, "admin@example.com")
	if res["status"] != "mfa_required" || res["redirect_to"] != nil {
		t.Fatalf("password: %v", res)
	}
	if r := b.get("/console/"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/signin" {
		t.Fatalf("console while owing MFA: %d %s", r.status, r.header.Get("Location"))
	}
	// The browser's flow cookie and state, without a code.
	authz := b.get("/console/login")
	state := authz.location(t).Query().Get("state")
	if r := b.get("/console/callback?state=" + url.QueryEscape(state)); r.status != http.StatusBadRequest {
		t.Fatalf("callback without a code: %d", r.status)
	}
	if b.consoleCookie() {
		t.Fatal("a console session without a second factor")
	}
}

// A forged state, a replayed callback and a replayed code are refused,
// and none opens a session.
func TestForgedAndReplayedCallbacksRefused(t *testing.T) {
	e := newEnv(t, nil)
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)

	// Forged state: the right browser, the right code, another state.
	b := e.browser()
	id, base := b.startSignIn("")
	to, _ := b.password(base, id, "admin@example.com")["redirect_to"].(string)
	u, _ := url.Parse(to)
	q := u.Query()
	q.Set("state", "forged-"+q.Get("state"))
	if r := b.get("/console/callback?" + q.Encode()); r.status != http.StatusBadRequest {
		t.Fatalf("forged state: %d", r.status)
	}
	if b.consoleCookie() {
		t.Fatal("session from a forged state")
	}

	// Another browser (no flow cookie) with a genuine callback URL.
	b = e.browser()
	id, base = b.startSignIn("")
	to, _ = b.password(base, id, "admin@example.com")["redirect_to"].(string)
	attacker := e.browser()
	if r := attacker.get(to); r.status != http.StatusBadRequest || attacker.consoleCookie() {
		t.Fatalf("callback in another browser: %d", r.status)
	}
	// The victim's own callback then works once; a replay does not.
	if r := b.get(to); r.status != http.StatusSeeOther {
		t.Fatalf("genuine callback: %d %.300s", r.status, r.body)
	}
	replay := e.browser()
	replay.jar.SetCookies(mustURL(e.srv.URL+"/console/"), b.jar.Cookies(mustURL(e.srv.URL+"/console/")))
	if r := replay.get(to); r.status != http.StatusBadRequest {
		t.Fatalf("replayed callback: %d", r.status)
	}

	// A replayed code with a fresh, valid flow cookie and state: the
	// token endpoint refuses the used code (and the PKCE verifier is not
	// the code's).
	c := e.browser()
	login := c.get("/console/login")
	q = u.Query()
	q.Set("state", login.location(t).Query().Get("state"))
	if r := c.get("/console/callback?" + q.Encode()); r.status != http.StatusBadRequest || c.consoleCookie() {
		t.Fatalf("replayed code: %d", r.status)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// Every form needs the session's CSRF token (and a same-site Origin): a
// POST without it changes nothing.
func TestPostWithoutCSRFRefused(t *testing.T) {
	e := newEnv(t, nil)
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	victim := e.user("", "victim@example.com")
	b := e.browser()
	b.signIn("", "admin@example.com", "")
	token := b.csrf("/console/users/" + victim)
	// One character changed, and changed for sure (the token is random,
	// so its eleventh character is an x one time in 64).
	flip := "x"
	if token[10] == 'x' {
		flip = "y"
	}
	for name, tc := range map[string]struct {
		form url.Values
		hdr  []string
	}{
		"no token":      {url.Values{}, nil},
		"wrong token":   {url.Values{"csrf": {token[:10] + flip + token[11:]}}, nil},
		"foreign site":  {url.Values{"csrf": {token}}, []string{"Origin", "https://evil.example"}},
		"garbage token": {url.Values{"csrf": {"%%%"}}, nil},
	} {
		if r := b.post("/console/users/"+victim+"/disable", tc.form, tc.hdr...); r.status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, r.status)
		}
	}
	// Without the console cookie (another site's form): 403 too.
	if r := e.browser().post("/console/users/"+victim+"/disable", url.Values{"csrf": {token}}); r.status != http.StatusForbidden {
		t.Errorf("no session: %d", r.status)
	}
	if u := e.getUser("", victim); u.Disabled {
		t.Fatal("a refused form disabled the user")
	}
	// With the token it works, and the audit log names the admin.
	if r := b.post("/console/users/"+victim+"/disable", url.Values{"csrf": {token}}); r.status != http.StatusSeeOther {
		t.Fatalf("with the token: %d %.300s", r.status, r.body)
	}
	if u := e.getUser("", victim); !u.Disabled {
		t.Fatal("not disabled")
	}
}

func (e *env) getUser(tenant, id string) *struct{ Disabled bool } {
	e.t.Helper()
	sc, err := e.srv.App.Directory.Resolve(context.Background(), tenant)
	if err != nil {
		e.t.Fatal(err)
	}
	u, err := sc.Store.Users().Get(context.Background(), sc.Tenant.ID, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return &struct{ Disabled bool }{u.Disabled}
}

// A viewer sees no change buttons, and the server refuses their POST
// with a valid CSRF token.
func TestViewerCannotChange(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e := newEnv(t, nil, database...)
		e.user("", "viewer@example.com", directory.RoleConsoleViewer)
		victim := e.user("", "victim@example.com")
		b := e.browser()
		b.signIn("", "viewer@example.com", "")
		page := b.get("/console/users/" + victim)
		if page.status != http.StatusOK || strings.Contains(page.body, "/disable") || strings.Contains(page.body, "/revoke") {
			t.Fatalf("viewer's user page: %d, change forms shown: %.2000s", page.status, page.body)
		}
		if c := b.get("/console/clients"); strings.Contains(c.body, "/console/clients/new") {
			t.Error("viewer sees the new-client button")
		}
		token := csrfRe.FindStringSubmatch(page.body)[1] // the logout form's
		for _, path := range []string{"/console/users/" + victim + "/disable", "/console/users/" + victim + "/delete",
			"/console/clients", "/console/users/" + victim + "/revoke"} {
			if r := b.post(path, url.Values{"csrf": {token}, "confirm": {"victim@example.com"}, "client_name": {"x"}}); r.status != http.StatusForbidden {
				t.Errorf("viewer POST %s: %d, want 403", path, r.status)
			}
		}
		if u := e.getUser("", victim); u.Disabled {
			t.Fatal("a viewer disabled a user")
		}
	})
}

// An admin of tenant B sees B only: A's user is not found, the tenant
// switch is refused, and B's admin cannot sign in at A.
func TestTenantAdminSeesOnlyTheirTenant(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e := newEnv(t, nil, database...)
		e.tenant("bee")
		inA := e.user("", "alice@example.com")
		e.user("bee", "boss@bee.example", directory.RoleConsoleAdmin)
		inB := e.user("bee", "bob@bee.example")
		b := e.browser()
		b.signIn("bee", "boss@bee.example", "")
		if r := b.get("/console/users/" + inB); r.status != http.StatusOK || !strings.Contains(r.body, "bob@bee.example") {
			t.Fatalf("own tenant's user: %d", r.status)
		}
		if r := b.get("/console/users/" + inA); r.status != http.StatusNotFound || strings.Contains(r.body, "alice@example.com") {
			t.Fatalf("other tenant's user: %d %.300s", r.status, r.body)
		}
		if r := b.get("/console/users?q=alice"); strings.Contains(r.body, "alice@example.com") {
			t.Fatal("search shows another tenant's user")
		}
		token := b.csrf("/console/")
		def, _ := e.srv.App.Directory.Resolve(context.Background(), "")
		if r := b.post("/console/tenant", url.Values{"csrf": {token}, "tenant": {def.Tenant.ID}}); r.status != http.StatusForbidden {
			t.Fatalf("tenant switch by a tenant admin: %d", r.status)
		}
		if r := b.post("/console/users/"+inA+"/disable", url.Values{"csrf": {token}}); r.status != http.StatusNotFound {
			t.Fatalf("disabling another tenant's user: %d", r.status)
		}
		if e.getUser("", inA).Disabled {
			t.Fatal("tenant B's admin disabled tenant A's user")
		}
		// At tenant A, B's admin is nobody.
		c := e.browser()
		id, base := c.startSignIn("")
		if res := c.password(base, id, "boss@bee.example"); res["status"] == "complete" {
			t.Fatalf("B's admin signed in at A: %v", res)
		}
	})
}

// A superadmin of the default tenant sees every tenant and switches.
func TestSuperadminSwitchesTenant(t *testing.T) {
	e := newEnv(t, nil)
	e.tenant("bee")
	e.user("", "root@example.com", directory.RoleConsoleSuperadmin)
	inB := e.user("bee", "bob@bee.example")
	b := e.browser()
	b.signIn("", "root@example.com", "")
	d := b.get("/console/")
	if !strings.Contains(d.body, `id="tenant-switch"`) || !strings.Contains(d.body, "(bee)") {
		t.Fatalf("no tenant switcher: %.1500s", d.body)
	}
	bee, _ := e.srv.App.Directory.Resolve(context.Background(), "bee")
	if r := b.post("/console/tenant", url.Values{"csrf": {b.csrf("/console/")}, "tenant": {bee.Tenant.ID}}); r.status != http.StatusSeeOther {
		t.Fatalf("switch: %d %.300s", r.status, r.body)
	}
	if r := b.get("/console/users/" + inB); r.status != http.StatusOK || !strings.Contains(r.body, "bob@bee.example") {
		t.Fatalf("after the switch: %d", r.status)
	}
}

// The console's changes are the Admin API's: the audit log names the
// signed-in admin user as the actor.
func TestAuditNamesTheAdmin(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e := newEnv(t, nil, database...)
		admin := e.user("", "admin@example.com", directory.RoleConsoleAdmin)
		victim := e.user("", "victim@example.com")
		b := e.browser()
		b.signIn("", "admin@example.com", "")
		if r := b.post("/console/users/"+victim+"/disable", url.Values{"csrf": {b.csrf("/console/")}}); r.status != http.StatusSeeOther {
			t.Fatalf("disable: %d", r.status)
		}
		sc, _ := e.srv.App.Directory.Resolve(context.Background(), "")
		items, _, err := sc.Store.Audit().List(context.Background(), sc.Tenant.ID, store.AuditFilter{Type: "admin.user.disabled"}, store.Page{Limit: 10})
		if err != nil || len(items) != 1 {
			t.Fatalf("audit: %v %d", err, len(items))
		}
		if items[0].ActorID != admin {
			t.Fatalf("actor %q, want the admin user %q", items[0].ActorID, admin)
		}
	})
}

// Signing out ends the hosted login's session too: the old cookie opens
// nothing, and a role taken away ends access at the next request.
func TestLogoutAndRoleRemoval(t *testing.T) {
	e := newEnv(t, nil)
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	b := e.browser()
	b.signIn("", "admin@example.com", "")
	saved := b.jar.Cookies(mustURL(e.srv.URL + "/console/"))
	if r := b.post("/console/logout", url.Values{}); r.status != http.StatusForbidden {
		t.Fatalf("logout without CSRF: %d", r.status)
	}
	if r := b.post("/console/logout", url.Values{"csrf": {b.csrf("/console/")}}); r.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.status)
	}
	old := e.browser()
	old.jar.SetCookies(mustURL(e.srv.URL+"/console/"), saved)
	if r := old.get("/console/users"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/signin" {
		t.Fatalf("old cookie after logout: %d %s", r.status, r.header.Get("Location"))
	}

	uid := e.user("", "second@example.com", directory.RoleConsoleAdmin)
	c := e.browser()
	c.signIn("", "second@example.com", "")
	sc, _ := e.srv.App.Directory.Resolve(context.Background(), "")
	roles, _, _ := sc.Store.Roles().ListForUser(context.Background(), sc.Tenant.ID, uid, store.Page{Limit: 10})
	for _, r := range roles {
		_ = sc.Store.Roles().Unassign(context.Background(), sc.Tenant.ID, uid, r.ID)
	}
	if r := c.get("/console/users"); r.status != http.StatusForbidden {
		t.Fatalf("after the role was removed: %d", r.status)
	}
}

// Behind an https issuer the console's cookies are Secure.
func TestCookiesSecureUnderHTTPS(t *testing.T) {
	srv := testserver.New(t, testserver.Options{Env: map[string]string{"GATEHOUSE_ISSUER": "https://id.example.com", "GATEHOUSE_LOG_LEVEL": "warn"}})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/console/login", nil)
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cs := res.Cookies()
	if res.StatusCode != http.StatusSeeOther || len(cs) != 1 || cs[0].Name != "gh_console_flow" || !cs[0].Secure || !cs[0].HttpOnly {
		t.Fatalf("%d %+v", res.StatusCode, cs)
	}
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/authorize?") || !strings.Contains(loc, "code_challenge_method=S256") ||
		!strings.Contains(loc, url.QueryEscape("https://id.example.com/console/callback")) {
		t.Fatalf("Location %s", loc)
	}
}
