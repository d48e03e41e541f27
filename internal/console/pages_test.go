package console_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/console"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
)

// fakeAnalytics answers fixed numbers: every metric has two series
// (outcome success and failed) over the period's buckets, except
// signups, one series of 7 per bucket.
type fakeAnalytics struct {
	mu    sync.Mutex
	calls []string
}

func (f *fakeAnalytics) Query(_ context.Context, tenantID, metric string, from, to time.Time, interval string) ([]console.ChartSeries, error) {
	f.mu.Lock()
	f.calls = append(f.calls, tenantID+" "+metric+" "+interval+" "+to.Sub(from).String())
	f.mu.Unlock()
	step := time.Hour
	if interval == "day" {
		step = 24 * time.Hour
	}
	bucket := func(v int64) []console.ChartPoint {
		var pts []console.ChartPoint
		for at := from; at.Before(to); at = at.Add(step) {
			pts = append(pts, console.ChartPoint{At: at, Value: v})
		}
		return pts
	}
	if metric == "signups" {
		return []console.ChartSeries{{Points: bucket(7)}}, nil
	}
	return []console.ChartSeries{
		{Group: map[string]string{"outcome": "success"}, Points: bucket(3)},
		{Group: map[string]string{"outcome": "failed"}, Points: bucket(1)},
	}, nil
}

var totalRe = regexp.MustCompile(`data-total="([a-z_]+)">([0-9]+)<`)

// totals reads the charts' totals from a dashboard page.
func totals(body string) map[string]string {
	out := map[string]string{}
	for _, m := range totalRe.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// The dashboard shows the Analytics numbers for the admin's tenant, per
// period, each chart linking to its list.
func TestDashboardShowsAnalytics(t *testing.T) {
	fa := &fakeAnalytics{}
	e := newEnv(t, fa)
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	b := e.browser()
	b.signIn("", "admin@example.com", "")
	for _, tc := range []struct {
		period           string
		buckets          int
		signups, signins string
	}{
		{"24h", 24, "168", "96"},
		{"7d", 7, "49", "28"},
		{"30d", 30, "210", "120"},
	} {
		r := b.get("/console/?period=" + tc.period)
		got := totals(r.body)
		if r.status != 200 || got["signups"] != tc.signups || got["signins"] != tc.signins || len(got) != 6 {
			t.Fatalf("%s: %d totals %v, want signups %s signins %s", tc.period, r.status, got, tc.signups, tc.signins)
		}
		if strings.Count(r.body, "<rect class=\"s0\"") != tc.buckets {
			t.Errorf("%s: %d bars, want %d", tc.period, strings.Count(r.body, "<rect class=\"s0\""), tc.buckets)
		}
		for _, link := range []string{`href="/console/users"`, `href="/console/events?type=login.succeeded"`, `href="/console/clients"`} {
			if !strings.Contains(r.body, link) {
				t.Errorf("%s: no link %s", tc.period, link)
			}
		}
		if !strings.Contains(r.body, "outcome=success") || !strings.Contains(r.body, "<polyline") {
			t.Errorf("%s: grouped series not drawn", tc.period)
		}
	}
	sc, _ := e.srv.App.Directory.Resolve(context.Background(), "")
	fa.mu.Lock()
	defer fa.mu.Unlock()
	// signIn's look at the dashboard (7 days), then the three periods.
	if len(fa.calls) != 24 || !strings.HasPrefix(fa.calls[6], sc.Tenant.ID+" signups hour 24h") {
		t.Fatalf("analytics calls %v", fa.calls)
	}
}

// German, like the hosted pages, from Accept-Language (the server wires
// the analytics rollups in, so the charts show).
func TestConsoleSpeaksGerman(t *testing.T) {
	e := newEnv(t, nil)
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	b := e.browser()
	b.signIn("", "admin@example.com", "")
	r := b.do(http.MethodGet, "/console/", "", "", "Accept-Language", "de-DE,de;q=0.9")
	if !strings.Contains(r.body, `lang="de"`) || !strings.Contains(r.body, "Übersicht") || !strings.Contains(r.body, "Anmeldungen") {
		t.Fatalf("German dashboard: %.800s", r.body)
	}
	for path, want := range map[string]string{"/console/apis": "Neue API", "/console/roles": "Neue Rolle",
		"/console/saml-apps": "Neue SAML-App", "/console/connections/new?type=ldap": "Einstellungen des Typs ldap"} {
		if r := b.do(http.MethodGet, path, "", "", "Accept-Language", "de"); r.status != http.StatusOK || !strings.Contains(r.body, want) {
			t.Errorf("German %s: %d, no %q", path, r.status, want)
		}
	}
}

// Every key the templates and the code name is in the catalogs.
func TestCatalogsHaveEveryKeyUsed(t *testing.T) {
	var src strings.Builder
	for _, glob := range []string{"templates/*.html", "*.go"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || f == "i18n.go" {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src.Write(b)
		}
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`[.$]L\.([a-z_0-9]+)|"((?:error|notice|metric|period|branding|keys|nav)_[a-z_0-9]+)"`).FindAllStringSubmatch(src.String(), -1) {
		used[m[1]+m[2]] = true
	}
	for _, m := range []string{"24h", "7d", "30d"} {
		used["period_"+m] = true
	}
	for _, m := range []string{"signups", "signins", "active_users", "mfa_adoption", "risk_decisions", "token_issuance"} {
		used["metric_"+m] = true
	}
	for k := range used {
		if console.English[k] == "" {
			t.Errorf("no English text for %s", k)
		}
	}
	if len(used) < 50 {
		t.Fatalf("only %d keys found: the scan is broken", len(used))
	}
}

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	for k := range console.English {
		if console.German[k] == "" {
			t.Errorf("German lacks %s", k)
		}
	}
	for k := range console.German {
		if console.English[k] == "" {
			t.Errorf("English lacks %s", k)
		}
	}
}

// Users: search by email, username and ID; the detail page; disable,
// enable, reset MFA, revoke everything, delete with confirmation.
func TestUserPages(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e := newEnv(t, nil, database...)
		e.user("", "admin@example.com", directory.RoleConsoleAdmin)
		jane := e.user("", "jane@example.com")
		e.user("", "john@example.com")
		b := e.browser()
		b.signIn("", "admin@example.com", "")
		for q, want := range map[string]string{"jane": "jane@example.com", "example.com": "john@example.com", jane: "jane@example.com"} {
			r := b.get("/console/users?q=" + url.QueryEscape(q))
			if r.status != 200 || !strings.Contains(r.body, want) || strings.Contains(r.body, "&lt;nil&gt;") {
				t.Errorf("search %q: %d, %s missing", q, r.status, want)
			}
		}
		if r := b.get("/console/users?q=nobody"); strings.Contains(r.body, "jane@example.com") {
			t.Error("search for nobody found jane")
		}
		// Bad input is a clear 4xx page, not a 500.
		if r := b.get("/console/users?q=" + url.QueryEscape(strings.Repeat("x", 300))); r.status != 200 || !strings.Contains(r.body, `role="alert"`) {
			t.Errorf("overlong search: %d", r.status)
		}
		if r := b.get("/console/users/" + url.PathEscape("no-such-user")); r.status != http.StatusNotFound {
			t.Errorf("unknown user: %d", r.status)
		}

		// Jane grants a privacy purpose.
		ctx := context.Background()
		if r, err := e.srv.Admin.CreatePrivacyPurposeWithBodyWithResponse(ctx, nil, "application/json",
			strings.NewReader(`{"id":"newsletter","name":"Newsletter","legal_basis":"consent"}`)); err != nil || r.StatusCode() != http.StatusCreated {
			t.Fatalf("purpose: %v %s", err, r.Body)
		}
		if r, err := e.srv.Admin.SetUserPrivacyPurposeWithBodyWithResponse(ctx, jane, "newsletter", "application/json",
			strings.NewReader(`{"granted":true,"evidence":"signed form"}`)); err != nil || r.StatusCode() != http.StatusOK {
			t.Fatalf("grant: %v %s", err, r.Body)
		}
		// Jane signs in to an app and gets sessions.
		e.srv.SignIn(t, "", "jane@example.com", password, "openid")
		page := b.get("/console/users/" + jane)
		if page.status != 200 || !strings.Contains(page.body, `id="sessions"`) || !strings.Contains(page.body, `id="risk"`) ||
			!strings.Contains(page.body, "OAuth consents") || strings.Contains(page.body, "&lt;nil&gt;") {
			t.Fatalf("user page: %d %s", page.status, page.body)
		}
		if !regexp.MustCompile(`(?s)id="privacy".*Newsletter \(<code>newsletter</code>\)</td><td>consent</td><td>yes</td><td>20`).MatchString(page.body) ||
			!strings.Contains(page.body, `id="user-region">`) {
			t.Errorf("privacy state or region missing: %s", page.body)
		}
		token := csrfRe.FindStringSubmatch(page.body)[1]
		post := func(action string, form url.Values) *resp {
			t.Helper()
			if form == nil {
				form = url.Values{}
			}
			form.Set("csrf", token)
			return b.post("/console/users/"+jane+"/"+action, form)
		}
		for _, a := range []string{"disable", "enable", "reset-mfa", "revoke"} {
			if r := post(a, nil); r.status != http.StatusSeeOther {
				t.Fatalf("%s: %d %.300s", a, r.status, r.body)
			}
		}
		if r := b.get("/console/users/" + jane); !strings.Contains(r.body, `id="no-sessions"`) {
			t.Error("sessions left after revoke")
		}
		// Delete needs the email typed.
		if r := post("delete", url.Values{"confirm": {"wrong@example.com"}}); r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "mismatch") {
			t.Fatalf("delete with a wrong confirmation: %d %s", r.status, r.header.Get("Location"))
		}
		if r := b.get("/console/users/" + jane); r.status != 200 {
			t.Fatal("deleted without confirmation")
		}
		if r := b.get("/console/users/" + jane + "/delete"); r.status != 200 || !strings.Contains(r.body, `name="confirm"`) {
			t.Fatalf("confirmation page: %d", r.status)
		}
		if r := post("delete", url.Values{"confirm": {"JANE@example.com"}}); r.status != http.StatusSeeOther {
			t.Fatalf("delete: %d %.300s", r.status, r.body)
		}
		if r := b.get("/console/users/" + jane); r.status != http.StatusNotFound {
			t.Fatalf("deleted user: %d", r.status)
		}
		if r := post("frobnicate", nil); r.status != http.StatusNotFound {
			t.Errorf("unknown action: %d", r.status)
		}
	})
}

var secretRe = regexp.MustCompile(`id="secret" type="text" readonly value="([^"]+)"`)
var clientIDRe = regexp.MustCompile(`id="client-id">([^<]+)<`)

// Clients: create shows the secret once (the client's page never does),
// edit redirect URIs and grants (the API's validation applies), rotate.
func TestClientPages(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e := newEnv(t, nil, database...)
		e.user("", "admin@example.com", directory.RoleConsoleAdmin)
		b := e.browser()
		b.signIn("", "admin@example.com", "")
		token := b.csrf("/console/clients/new")
		r := b.post("/console/clients", url.Values{"csrf": {token}, "client_name": {"Shop"},
			"redirect_uris": {"https://shop.example/cb\r\n"}, "grant_types": {"authorization_code", "refresh_token"}})
		m, idm := secretRe.FindStringSubmatch(r.body), clientIDRe.FindStringSubmatch(r.body)
		if r.status != 200 || m == nil || idm == nil || r.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("create: %d %.1500s", r.status, r.body)
		}
		secret, id := m[1], idm[1]
		// The secret works at the token endpoint... (client_credentials is
		// not granted, so the endpoint says unauthorized_client, not
		// invalid_client).
		page := b.get("/console/clients/" + id)
		if page.status != 200 || strings.Contains(page.body, secret) || !strings.Contains(page.body, "https://shop.example/cb") {
			t.Fatalf("client page: %d (secret shown again: %v)", page.status, strings.Contains(page.body, secret))
		}
		if l := b.get("/console/clients"); strings.Contains(l.body, secret) || !strings.Contains(l.body, "Shop") || strings.Contains(l.body, console.ClientID) {
			t.Fatalf("client list: %.1000s", l.body)
		}
		// Invalid redirect URI: the API's validation problem, nothing saved.
		r = b.post("/console/clients/"+id, url.Values{"csrf": {token}, "redirect_uris": {"javascript:alert(1)"}, "grant_types": {"authorization_code"}})
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) {
			t.Fatalf("invalid redirect URI: %d %s", r.status, r.body)
		}
		r = b.post("/console/clients/"+id, url.Values{"csrf": {token}, "redirect_uris": {"https://shop.example/cb\nhttps://shop.example/cb2"},
			"grant_types": {"authorization_code", "refresh_token", "client_credentials"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %.1000s", r.status, r.body)
		}
		cl, err := e.srv.Admin.GetClientWithResponse(context.Background(), id)
		if err != nil || cl.JSON200 == nil || len(cl.JSON200.RedirectUris) != 2 || len(cl.JSON200.GrantTypes) != 3 {
			t.Fatalf("after edit: %v %s", err, cl.Body)
		}
		// Rotating gives a new secret, once; the old one stops working.
		r = b.post("/console/clients/"+id+"/rotate", url.Values{"csrf": {token}})
		m2 := secretRe.FindStringSubmatch(r.body)
		if r.status != 200 || m2 == nil || m2[1] == secret {
			t.Fatalf("rotate: %d", r.status)
		}
		if code := clientCredentials(t, e, id, secret); code != http.StatusUnauthorized {
			t.Errorf("old secret: %d, want 401", code)
		}
		if code := clientCredentials(t, e, id, m2[1]); code != http.StatusOK {
			t.Errorf("new secret: %d, want 200", code)
		}
	})
}

// clientCredentials asks a token with the client's secret.
func clientCredentials(t *testing.T, e *env, id, secret string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode
}

// Events: the default tenant's audit log, filtered by type.
func TestEventsPage(t *testing.T) {
	e := newEnv(t, nil)
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	b := e.browser()
	b.signIn("", "admin@example.com", "")
	r := b.get("/console/events?type=login.succeeded")
	if r.status != 200 || !strings.Contains(r.body, "<code>login.succeeded</code>") || strings.Contains(r.body, "<code>admin.") || strings.Contains(r.body, "&lt;nil&gt;") {
		t.Fatalf("events: %d %.1500s", r.status, r.body)
	}
	if r.header.Get("Refresh") != "" || !strings.Contains(r.body, `href="/console/events/tail?type=login.succeeded&amp;user_id="`) {
		t.Errorf("events page: refresh %q, or no live-tail link", r.header.Get("Refresh"))
	}
	// The live tail reloads itself (Refresh header, no script) with the
	// same filter, and offers to stop.
	tail := b.get("/console/events/tail?type=login.succeeded")
	if tail.status != 200 || tail.header.Get("Refresh") != "5" || !strings.Contains(tail.body, "<code>login.succeeded</code>") ||
		strings.Contains(tail.body, "<code>admin.") || !strings.Contains(tail.body, `id="tail-stop"`) {
		t.Fatalf("live tail: %d %q %.1500s", tail.status, tail.header.Get("Refresh"), tail.body)
	}
}

// Signing keys: listed, rotated by an admin (a new active key, the old
// one retired), and the rotation is the Admin API's (audited as the
// admin).
func TestKeysPage(t *testing.T) {
	e := newEnv(t, nil)
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	b := e.browser()
	b.signIn("", "admin@example.com", "")
	before := b.get("/console/keys")
	if before.status != 200 || strings.Count(before.body, `data-status="active"`) == 0 {
		t.Fatalf("keys: %d %.1500s", before.status, before.body)
	}
	active := strings.Count(before.body, `data-status="active"`)
	if r := b.post("/console/keys/rotate", url.Values{"csrf": {b.csrf("/console/keys")}}); r.status != http.StatusSeeOther {
		t.Fatalf("rotate: %d %.500s", r.status, r.body)
	}
	after := b.get("/console/keys")
	if strings.Count(after.body, `data-status="active"`) != active || strings.Count(after.body, `data-status="retired"`) != active {
		t.Fatalf("after rotation: %.2000s", after.body)
	}
}

// Branding: a preview changes nothing; saving goes through updateTenant
// with the form's ETag (a stale one is refused), an invalid colour is the
// API's 400, and the hosted login's theme then uses the colour.
func TestBrandingPage(t *testing.T) {
	e := newEnv(t, nil)
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	b := e.browser()
	b.signIn("", "admin@example.com", "")
	page := b.get("/console/branding")
	etag := regexp.MustCompile(`name="etag" value="([^"]+)"`).FindStringSubmatch(page.body)
	if page.status != 200 || etag == nil || !strings.Contains(page.body, `data-color="#1d4ed8"`) {
		t.Fatalf("branding: %d %.1500s", page.status, page.body)
	}
	token := csrfRe.FindStringSubmatch(page.body)[1]
	etag[1] = html.UnescapeString(etag[1])
	form := func(action, color, tag string) url.Values {
		return url.Values{"csrf": {token}, "etag": {tag}, "primary_color": {color}, "logo_uri": {""}, "action": {action}}
	}
	r := b.post("/console/branding", form("preview", "#0f766e", etag[1]))
	if r.status != 200 || !strings.Contains(r.body, `data-color="#0f766e"`) {
		t.Fatalf("preview: %d", r.status)
	}
	theme := func() string {
		t.Helper()
		return b.get("/login/assets/theme.css").body
	}
	if strings.Contains(strings.ToLower(theme()), "#0f766e") {
		t.Fatal("a preview changed the login page")
	}
	if r := b.post("/console/branding", form("save", "teal", etag[1])); r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) {
		t.Fatalf("invalid colour: %d", r.status)
	}
	if r := b.post("/console/branding", form("save", "#0f766e", `"999"`)); r.status != http.StatusPreconditionFailed {
		t.Fatalf("stale ETag: %d", r.status)
	}
	if r := b.post("/console/branding", form("save", "#0f766e", etag[1])); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.500s", r.status, r.body)
	}
	got, err := e.srv.Admin.GetTenantWithResponse(context.Background(), "default")
	if err != nil || got.JSON200 == nil || got.JSON200.Branding.PrimaryColor == nil || *got.JSON200.Branding.PrimaryColor != "#0f766e" {
		t.Fatalf("tenant after save: %v %s", err, got.Body)
	}
	if !strings.Contains(strings.ToLower(theme()), "#0f766e") {
		t.Errorf("the login theme does not use the colour: %.500s", theme())
	}
}
