package console_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/testbrowser"
)

// axeScript is axe-core (testdata/axe, npm ci there). Without it (or
// without node's packages) the browser test is skipped, except in CI,
// which must run it (.ci/run installs it).
func axeScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/axe/node_modules/axe-core/axe.min.js")
	if err != nil {
		msg := "axe-core unavailable (%v): run npm ci in internal/console/testdata/axe"
		if os.Getenv("CI") == "true" {
			t.Fatalf(msg, err)
		}
		t.Skipf(msg, err)
	}
	return string(b)
}

// axeCheck runs axe-core on the page for WCAG 2 A and AA (2.0 and 2.1)
// and fails on any violation. DevTools' evaluation is not subject to the
// page's CSP, so the console's own CSP stays as it is.
func axeCheck(t *testing.T, ctx context.Context, axe, page string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("%s: injecting axe: %v", page, err)
	}
	js := `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})
	  .then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe: %v", page, err)
	}
	if out != "[]" {
		t.Errorf("%s: WCAG violations: %s", page, out)
	}
}

// shotDir is where screenshots go: docs/console with
// GATEHOUSE_CONSOLE_SCREENSHOTS=1 (to refresh the committed ones), else
// the test's temp dir.
func shotDir(t *testing.T) string {
	if os.Getenv("GATEHOUSE_CONSOLE_SCREENSHOTS") == "1" {
		return "../../docs/console"
	}
	return t.TempDir()
}

func shot(t *testing.T, ctx context.Context, dir, name string, width int64) {
	t.Helper()
	testbrowser.Screenshot(t, ctx, dir, name, width, 900)
	_ = chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
}

// appRefreshToken signs the user in to a first-party app with
// offline_access, over HTTP, and returns the app's client ID and its
// refresh token.
func appRefreshToken(t *testing.T, e *env, email string) (string, string) {
	t.Helper()
	const redirect = "http://127.0.0.1:9/cb"
	b := e.browser()
	ctype := "application/json"
	body := `{"client_name":"Jane's app","redirect_uris":["` + redirect + `"],"grant_types":["authorization_code","refresh_token"],` +
		`"token_endpoint_auth_method":"none","scope":"openid offline_access","metadata":{"first_party":true}}`
	r := b.do(http.MethodPost, "/admin/v1/clients", ctype, body, "Authorization", "Bearer test-admin-token-0123456789abcdef")
	var c struct {
		ClientID string `json:"client_id"`
	}
	if json.Unmarshal([]byte(r.body), &c) != nil || c.ClientID == "" {
		t.Fatalf("app client: %d %s", r.status, r.body)
	}
	verifier := rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {c.ClientID}, "redirect_uri": {redirect},
		"scope": {"openid offline_access"}, "state": {rand.Text()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	login := b.get("/authorize?" + q.Encode()).location(t)
	res := b.password("", login.Query().Get("authRequestID"), email)
	to, _ := res["redirect_to"].(string)
	back, err := url.Parse(to)
	if err != nil || back.Query().Get("code") == "" {
		t.Fatalf("app sign-in: %v", res)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {back.Query().Get("code")}, "redirect_uri": {redirect},
		"client_id": {c.ClientID}, "code_verifier": {verifier}}
	tr := b.post("/oauth/token", form)
	var tok struct {
		RefreshToken string `json:"refresh_token"`
	}
	if json.Unmarshal([]byte(tr.body), &tok) != nil || tok.RefreshToken == "" {
		t.Fatalf("app token: %d %s", tr.status, tr.body)
	}
	return c.ClientID, tok.RefreshToken
}

// refresh uses a refresh token and returns the status.
func refresh(t *testing.T, e *env, clientID, rt string) int {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, e: e, jar: jar, c: &http.Client{Jar: jar}}
	return b.post("/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {clientID}}).status
}

// waitLoaded waits until the page's URL contains want and it has loaded.
func waitLoaded(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " " + document.readyState`))
		if err == nil && strings.Contains(got, want) && strings.HasSuffix(got, " complete") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("page %q (%v), want %s loaded", got, err, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func evalString(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}

// The console end to end in Chromium: the bootstrap admin signs in with
// TOTP, sees the fake analytics' numbers, creates a client and reads its
// secret once, finds a user and revokes their sessions (their refresh
// token then fails), and a viewer sees no change buttons while the
// server refuses their form. axe-core checks every page for WCAG 2 A/AA.
func TestBrowserConsole(t *testing.T) {
	axe := axeScript(t)
	ctx := testbrowser.New(t, 3*time.Minute)
	e := newEnv(t, &fakeAnalytics{})
	adminID, err := e.srv.App.Directory.BootstrapConsoleAdmin(context.Background(), "admin@example.com", password)
	if err != nil || adminID == "" {
		t.Fatalf("bootstrap admin: %q %v", adminID, err)
	}
	secret := e.enrolTOTP(adminID)
	jane := e.user("", "jane@example.com")
	e.user("", "viewer@example.com", directory.RoleConsoleViewer)
	appID, rt := appRefreshToken(t, e, "jane@example.com")
	if code := refresh(t, e, appID, rt); code != http.StatusOK {
		t.Fatalf("refresh before the revocation: %d", code)
	}
	// The refresh rotated the token; take the new one.
	appID, rt = appRefreshToken(t, e, "jane@example.com")
	shots := shotDir(t)

	// Sign in: the console's page, the hosted login, the second factor.
	run(t, ctx, "sign-in page", chromedp.Navigate(e.srv.URL+"/console/"), chromedp.WaitVisible(chromedp.CSS("#signin")))
	axeCheck(t, ctx, axe, "sign-in")
	shot(t, ctx, shots, "signin", 390)
	run(t, ctx, "hosted login", chromedp.Click(chromedp.CSS("#signin")), chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.SendKeys(chromedp.CSS("#identifier"), "admin@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#code")))
	code, _ := totp.GenerateCode(secret, e.clock.Now())
	run(t, ctx, "TOTP", chromedp.SendKeys(chromedp.CSS("#code"), code),
		chromedp.Click(chromedp.CSS("button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#chart-signups")))

	// The dashboard shows the fake's numbers (7 days: 7 a day, 4 a day).
	if got := testbrowser.Text(t, ctx, `[data-total="signups"]`); got != "49" {
		t.Errorf("signups total %q, want 49", got)
	}
	if got := testbrowser.Text(t, ctx, `[data-total="signins"]`); got != "28" {
		t.Errorf("signins total %q, want 28", got)
	}
	axeCheck(t, ctx, axe, "dashboard")
	shot(t, ctx, shots, "dashboard", 1280)
	shot(t, ctx, shots, "dashboard", 390)
	if bg := evalString(t, ctx, `getComputedStyle(document.querySelector("header.top")).backgroundColor`); bg != "rgb(16, 36, 62)" {
		t.Errorf("header background %q: the stylesheet did not apply under the CSP", bg)
	}

	// A client: the secret once.
	run(t, ctx, "new client", chromedp.Navigate(e.srv.URL+"/console/clients/new"), chromedp.WaitVisible(chromedp.CSS("#client_name")))
	axeCheck(t, ctx, axe, "new client")
	run(t, ctx, "create client", chromedp.SendKeys(chromedp.CSS("#client_name"), "Shop"),
		chromedp.SendKeys(chromedp.CSS("#redirect_uris"), "https://shop.example/cb"),
		chromedp.Click(chromedp.CSS("#save-client")), chromedp.WaitVisible(chromedp.CSS("#secret")))
	clientSecret := evalString(t, ctx, `document.querySelector("#secret").value`)
	clientID := testbrowser.Text(t, ctx, "#client-id")
	if len(clientSecret) < 20 {
		t.Fatalf("secret %q", clientSecret)
	}
	axeCheck(t, ctx, axe, "client secret")
	shot(t, ctx, shots, "client-secret", 1280)
	run(t, ctx, "client page", chromedp.Navigate(e.srv.URL+"/console/clients/"+clientID), chromedp.WaitVisible(chromedp.CSS("#client-id")))
	if strings.Contains(evalString(t, ctx, `document.documentElement.outerHTML`), clientSecret) {
		t.Fatal("the secret is shown again")
	}
	axeCheck(t, ctx, axe, "client")
	run(t, ctx, "clients", chromedp.Navigate(e.srv.URL+"/console/clients"), chromedp.WaitVisible(chromedp.CSS("#new-client")))
	axeCheck(t, ctx, axe, "clients")
	shot(t, ctx, shots, "clients", 1280)

	// A user: search, detail, revoke everything.
	run(t, ctx, "users", chromedp.Navigate(e.srv.URL+"/console/users"), chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "jane"), chromedp.Submit(chromedp.CSS("#q")))
	// The list before the search shows jane too: wait for the answer's URL.
	waitLoaded(t, ctx, "q=jane")
	run(t, ctx, "search results", chromedp.WaitVisible(chromedp.CSS(`a[href="/console/users/`+jane+`"]`)))
	axeCheck(t, ctx, axe, "users")
	shot(t, ctx, shots, "users", 1280)
	run(t, ctx, "user", chromedp.Click(chromedp.CSS(`a[href="/console/users/`+jane+`"]`)), chromedp.WaitVisible(chromedp.CSS("#revoke-all")))
	axeCheck(t, ctx, axe, "user")
	shot(t, ctx, shots, "user", 1280)
	shot(t, ctx, shots, "user", 390)
	run(t, ctx, "revoke", chromedp.Click(chromedp.CSS("#revoke-all")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	if code := refresh(t, e, appID, rt); code != http.StatusBadRequest {
		t.Errorf("refresh after the console revoked everything: %d, want 400", code)
	}
	run(t, ctx, "delete confirmation", chromedp.Navigate(e.srv.URL+"/console/users/"+jane+"/delete"), chromedp.WaitVisible(chromedp.CSS("#confirm")))
	axeCheck(t, ctx, axe, "delete confirmation")
	run(t, ctx, "events", chromedp.Navigate(e.srv.URL+"/console/events"), chromedp.WaitVisible(chromedp.CSS("#type")))
	axeCheck(t, ctx, axe, "events")
	run(t, ctx, "live tail", chromedp.Navigate(e.srv.URL+"/console/events/tail"), chromedp.WaitVisible(chromedp.CSS("#tail-stop")))
	axeCheck(t, ctx, axe, "live tail")
	run(t, ctx, "stop live tail", chromedp.Click(chromedp.CSS("#tail-stop")), chromedp.WaitVisible(chromedp.CSS("#tail-start")))
	run(t, ctx, "keys", chromedp.Navigate(e.srv.URL+"/console/keys"), chromedp.WaitVisible(chromedp.CSS("#rotate-keys")))
	axeCheck(t, ctx, axe, "signing keys")

	// Webhooks: create (the secret once), the webhook's deliveries.
	run(t, ctx, "webhooks", chromedp.Navigate(e.srv.URL+"/console/webhooks"), chromedp.WaitVisible(chromedp.CSS("#wh-url")))
	axeCheck(t, ctx, axe, "webhooks")
	run(t, ctx, "create webhook", chromedp.SendKeys(chromedp.CSS("#wh-url"), "http://127.0.0.1:9/hook"),
		chromedp.SendKeys(chromedp.CSS("#wh-types"), "admin.*"),
		chromedp.Click(chromedp.CSS("#create-webhook")), chromedp.WaitVisible(chromedp.CSS("#secret")))
	axeCheck(t, ctx, axe, "webhook secret")
	run(t, ctx, "webhook page", chromedp.Click(chromedp.CSS("#webhook-done")), chromedp.WaitVisible(chromedp.CSS("#webhook-id")))
	axeCheck(t, ctx, axe, "webhook")
	shot(t, ctx, shots, "webhook", 1280)

	// API keys: create (the token once), the list with its revoke button.
	run(t, ctx, "api keys", chromedp.Navigate(e.srv.URL+"/console/api-keys"), chromedp.WaitVisible(chromedp.CSS("#key-name")))
	axeCheck(t, ctx, axe, "api keys")
	run(t, ctx, "create api key", chromedp.SendKeys(chromedp.CSS("#key-name"), "ci"), chromedp.Click(chromedp.CSS("#scope-0")),
		chromedp.Click(chromedp.CSS("#create-key")), chromedp.WaitVisible(chromedp.CSS("#secret")))
	axeCheck(t, ctx, axe, "api key token")
	run(t, ctx, "api key list", chromedp.Click(chromedp.CSS("#key-done")), chromedp.WaitVisible(chromedp.CSS("#apikeys")))
	axeCheck(t, ctx, axe, "api keys with a key")
	shot(t, ctx, shots, "apikeys", 1280)

	// Organizations: create, the organization's page with its members.
	run(t, ctx, "organizations", chromedp.Navigate(e.srv.URL+"/console/organizations"), chromedp.WaitVisible(chromedp.CSS("#org-name")))
	axeCheck(t, ctx, axe, "organizations")
	run(t, ctx, "create organization", chromedp.SendKeys(chromedp.CSS("#org-name"), "acme"),
		chromedp.SendKeys(chromedp.CSS("#org-display"), "Acme Corp"),
		chromedp.Click(chromedp.CSS("#create-org")), chromedp.WaitVisible(chromedp.CSS("#org-id")))
	axeCheck(t, ctx, axe, "organization")
	run(t, ctx, "add member", chromedp.SendKeys(chromedp.CSS("#member-user"), jane),
		chromedp.Click(chromedp.CSS("#add-member")), chromedp.WaitVisible(chromedp.CSS("#members")))
	axeCheck(t, ctx, axe, "organization with a member")
	shot(t, ctx, shots, "organization", 1280)
	run(t, ctx, "organizations list", chromedp.Navigate(e.srv.URL+"/console/organizations"), chromedp.WaitVisible(chromedp.CSS("#orgs")))
	axeCheck(t, ctx, axe, "organizations with one")

	// APIs and roles: create an API, edit its scopes; a role with one of
	// them; the client's page then offers the API for a grant.
	run(t, ctx, "apis", chromedp.Navigate(e.srv.URL+"/console/apis"), chromedp.WaitVisible(chromedp.CSS("#api-identifier")))
	axeCheck(t, ctx, axe, "apis")
	run(t, ctx, "create api", chromedp.SendKeys(chromedp.CSS("#api-identifier"), "https://api.example.com/billing"),
		chromedp.SendKeys(chromedp.CSS("#api-name"), "Billing"),
		chromedp.Click(chromedp.CSS("#create-api")), chromedp.WaitVisible(chromedp.CSS("#api-id")))
	run(t, ctx, "api scopes", chromedp.SendKeys(chromedp.CSS("#api-scopes"), "invoices:read Read invoices\ninvoices:write Write invoices"),
		chromedp.Click(chromedp.CSS("#api-rbac")), chromedp.Click(chromedp.CSS("#save-api")), chromedp.WaitVisible(chromedp.CSS("#scopes")))
	axeCheck(t, ctx, axe, "api")
	shot(t, ctx, shots, "api", 1280)
	run(t, ctx, "apis list", chromedp.Navigate(e.srv.URL+"/console/apis"), chromedp.WaitVisible(chromedp.CSS("#apis")))
	axeCheck(t, ctx, axe, "apis with one")
	run(t, ctx, "roles", chromedp.Navigate(e.srv.URL+"/console/roles"), chromedp.WaitVisible(chromedp.CSS("#role-name")))
	axeCheck(t, ctx, axe, "roles")
	run(t, ctx, "create role", chromedp.SendKeys(chromedp.CSS("#role-name"), "accountant"),
		chromedp.Click(chromedp.CSS("#create-role")), chromedp.WaitVisible(chromedp.CSS("#role-id")),
		chromedp.SendKeys(chromedp.CSS("#role-permissions"), "https://api.example.com/billing invoices:read"),
		chromedp.Click(chromedp.CSS("#save-role")), chromedp.WaitVisible(chromedp.CSS("#permissions")))
	axeCheck(t, ctx, axe, "role")
	shot(t, ctx, shots, "role", 1280)
	run(t, ctx, "client grants", chromedp.Navigate(e.srv.URL+"/console/clients/"+clientID), chromedp.WaitVisible(chromedp.CSS("#grant-scopes")),
		chromedp.SendKeys(chromedp.CSS("#grant-scopes"), "invoices:read"), chromedp.Click(chromedp.CSS("#grant")), chromedp.WaitVisible(chromedp.CSS("#grants")))
	axeCheck(t, ctx, axe, "client with an API grant")

	// SAML apps: create from metadata, the app's page.
	run(t, ctx, "saml apps", chromedp.Navigate(e.srv.URL+"/console/saml-apps"), chromedp.WaitVisible(chromedp.CSS("#saml-metadata")))
	axeCheck(t, ctx, axe, "saml apps")
	run(t, ctx, "create saml app", chromedp.SendKeys(chromedp.CSS("#saml-name"), "Wiki"),
		chromedp.SendKeys(chromedp.CSS("#saml-metadata"), spMetadata),
		chromedp.Click(chromedp.CSS("#create-saml")), chromedp.WaitVisible(chromedp.CSS("#saml-entity-id")))
	axeCheck(t, ctx, axe, "saml app")
	shot(t, ctx, shots, "saml-app", 1280)

	// Connections: the type's form, create (the secret never shown again).
	run(t, ctx, "connections", chromedp.Navigate(e.srv.URL+"/console/connections"), chromedp.WaitVisible(chromedp.CSS("#conn-type")))
	axeCheck(t, ctx, axe, "connections")
	run(t, ctx, "new connection", chromedp.Click(chromedp.CSS("#new-connection")), chromedp.WaitVisible(chromedp.CSS("#cf-issuer")))
	axeCheck(t, ctx, axe, "new connection")
	run(t, ctx, "create connection", chromedp.SendKeys(chromedp.CSS("#conn-display"), "Corp SSO"),
		chromedp.SendKeys(chromedp.CSS("#cf-issuer"), "https://idp.example.com"),
		chromedp.SendKeys(chromedp.CSS("#cf-client_id"), "gatehouse"),
		chromedp.SendKeys(chromedp.CSS("#cf-client_secret"), upstreamSecret),
		chromedp.Click(chromedp.CSS("#save-connection")), chromedp.WaitVisible(chromedp.CSS("#conn-id")))
	if strings.Contains(evalString(t, ctx, `document.documentElement.outerHTML`), upstreamSecret) {
		t.Fatal("the connection's secret is shown")
	}
	axeCheck(t, ctx, axe, "connection")
	shot(t, ctx, shots, "connection", 1280)
	connID := testbrowser.Text(t, ctx, "#conn-id")
	run(t, ctx, "connections list", chromedp.Navigate(e.srv.URL+"/console/connections"), chromedp.WaitVisible(chromedp.CSS("#connections")))
	axeCheck(t, ctx, axe, "connections with one")

	// Branding: preview, save, and the hosted login's theme changes.
	run(t, ctx, "branding", chromedp.Navigate(e.srv.URL+"/console/branding"), chromedp.WaitVisible(chromedp.CSS("#primary_color")))
	axeCheck(t, ctx, axe, "branding")
	run(t, ctx, "branding preview", chromedp.SendKeys(chromedp.CSS("#primary_color"), "#0f766e"),
		chromedp.Click(chromedp.CSS("#preview")), chromedp.WaitVisible(chromedp.CSS(`#branding-preview rect[data-color="#0f766e"]`)))
	shot(t, ctx, shots, "branding", 1280)
	run(t, ctx, "branding save", chromedp.Click(chromedp.CSS("#save-branding")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	run(t, ctx, "login theme", chromedp.Navigate(e.srv.URL+"/login/assets/theme.css"), chromedp.WaitVisible(chromedp.CSS("body")))
	if css := evalString(t, ctx, `document.body.textContent`); !strings.Contains(strings.ToLower(css), "#0f766e") {
		t.Errorf("the login page's theme after saving the branding: %.300s", css)
	}
	run(t, ctx, "error page", chromedp.Navigate(e.srv.URL+"/console/nowhere"), chromedp.WaitVisible(chromedp.CSS("h1")))
	axeCheck(t, ctx, axe, "error")

	// A viewer: no change buttons, and a form sent anyway is refused.
	run(t, ctx, "sign out", chromedp.Navigate(e.srv.URL+"/console/"), chromedp.WaitVisible(chromedp.CSS("button.link")),
		chromedp.Click(chromedp.CSS("button.link")), chromedp.WaitVisible(chromedp.CSS("#signin")))
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "viewer sign-in", chromedp.Click(chromedp.CSS("#signin")), chromedp.WaitVisible(chromedp.CSS("#identifier")),
		chromedp.SendKeys(chromedp.CSS("#identifier"), "viewer@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#chart-signups")))
	run(t, ctx, "viewer's user page", chromedp.Navigate(e.srv.URL+"/console/users/"+jane), chromedp.WaitVisible(chromedp.CSS("#user-status")))
	if n := evalString(t, ctx, `String(document.querySelectorAll("form[method=post]:not([action='/console/logout'])").length)`); n != "0" {
		t.Errorf("viewer sees %s change forms", n)
	}
	axeCheck(t, ctx, axe, "viewer's user page")
	shot(t, ctx, shots, "viewer-user", 1280)
	for _, p := range []string{"/console/apis", "/console/roles", "/console/saml-apps", "/console/connections", "/console/connections/" + connID} {
		run(t, ctx, "viewer's "+p, chromedp.Navigate(e.srv.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		if n := evalString(t, ctx, `String(document.querySelectorAll("form:not([action='/console/logout'])").length)`); n != "0" {
			t.Errorf("viewer sees %s forms on %s", n, p)
		}
		if strings.Contains(evalString(t, ctx, `document.documentElement.outerHTML`), upstreamSecret) {
			t.Errorf("%s shows the connection's secret", p)
		}
	}
	axeCheck(t, ctx, axe, "viewer's connection page")
	run(t, ctx, "viewer's user page again", chromedp.Navigate(e.srv.URL+"/console/users/"+jane), chromedp.WaitVisible(chromedp.CSS("#user-status")))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const f = document.createElement("form"); f.method = "post"; f.action = "/console/users/`+jane+`/disable";
		const i = document.createElement("input"); i.type = "hidden"; i.name = "csrf";
		i.value = document.querySelector("input[name=csrf]").value; f.appendChild(i);
		document.body.appendChild(f); f.submit(); return true })()`)); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "viewer's refused form", chromedp.WaitVisible(chromedp.CSS(".error-message")))
	if msg := testbrowser.Text(t, ctx, ".error-message"); !strings.Contains(msg, "read-only") {
		t.Errorf("viewer's form: %q", msg)
	}
	if e.getUser("", jane).Disabled {
		t.Fatal("a viewer disabled a user")
	}
}
