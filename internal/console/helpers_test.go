package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/console"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

const password = "correct horse battery staple"

// env is a server whose MFA service and login run on a fake clock that
// starts at the beginning of a TOTP step.
type env struct {
	t     testing.TB
	srv   *testserver.Server
	clock *clock.Fake
}

// newEnv starts the server on SQLite, or on the PostgreSQL database
// given.
func newEnv(t testing.TB, a console.Analytics, database ...string) *env {
	t.Helper()
	clk := clock.NewFake(time.Now().UTC().Truncate(30 * time.Second))
	vars := map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}
	if len(database) > 0 {
		vars["GATEHOUSE_DATABASE"] = database[0]
	}
	srv := testserver.New(t, testserver.Options{LoopbackIssuer: true, Now: clk.Now, ConsoleAnalytics: a, Env: vars})
	// New devices are not challenged: every test browser is one.
	r, err := srv.Admin.ReplaceRiskPolicyWithBodyWithResponse(context.Background(), "application/json",
		strings.NewReader(`{"new_device":"notify","new_country":"notify"}`))
	if err != nil || r.StatusCode() != http.StatusOK {
		t.Fatalf("risk policy: %v %s", err, r.Body)
	}
	return &env{t: t, srv: srv, clock: clk}
}

// tenant creates a tenant and sets its risk policy like the default's.
func (e *env) tenant(slug string) {
	e.t.Helper()
	r, err := e.srv.Admin.CreateTenantWithBodyWithResponse(context.Background(), nil, "application/json",
		strings.NewReader(`{"slug":"`+slug+`","display_name":"Tenant `+slug+`"}`))
	if err != nil || r.StatusCode() != http.StatusCreated {
		e.t.Fatalf("tenant: %v %s", err, r.Body)
	}
	p, err := e.srv.Admin.ReplaceTenantRiskPolicyWithBodyWithResponse(context.Background(), slug, "application/json",
		strings.NewReader(`{"new_device":"notify","new_country":"notify"}`))
	if err != nil || p.StatusCode() != http.StatusOK {
		e.t.Fatalf("risk policy: %v %s", err, p.Body)
	}
}

// user creates a user of tenant ("" for the default one) with the
// password and the console roles, as `gatehouse users create --role`
// does, and returns its ID.
func (e *env) user(tenant, email string, roles ...string) string {
	e.t.Helper()
	ctx := context.Background()
	sc, err := e.srv.App.Directory.Resolve(ctx, tenant)
	if err != nil {
		e.t.Fatal(err)
	}
	u := identity.User{Email: email, EmailVerified: true}
	pw := password
	if err := e.srv.App.Directory.CreateUser(ctx, sc, &u, &pw); err != nil {
		e.t.Fatal(err)
	}
	for _, r := range roles {
		if err := e.srv.App.Directory.GrantConsoleRole(ctx, sc, u.ID, r); err != nil {
			e.t.Fatal(err)
		}
	}
	return u.ID
}

// enrolTOTP gives the default tenant's user an authenticator app and
// returns its secret; the clock moves to the next step, so the enrolment's
// code is not the next one asked.
func (e *env) enrolTOTP(uid string) string {
	e.t.Helper()
	ctx := context.Background()
	sc, err := e.srv.App.Directory.Resolve(ctx, "")
	if err != nil {
		e.t.Fatal(err)
	}
	tg := mfa.Target{Tenant: sc.Tenant, Store: sc.Store, Issuer: e.srv.URL}
	u, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, uid)
	if err != nil {
		e.t.Fatal(err)
	}
	en, err := e.srv.App.MFA.BeginTOTP(ctx, tg, u)
	if err != nil {
		e.t.Fatal(err)
	}
	code, _ := totp.GenerateCode(en.Secret, e.clock.Now())
	if _, err := e.srv.App.MFA.ConfirmTOTP(ctx, tg, u, en.ID, code, "Phone"); err != nil {
		e.t.Fatal(err)
	}
	e.clock.Advance(30 * time.Second)
	return en.Secret
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	t   testing.TB
	e   *env
	c   *http.Client
	jar *cookiejar.Jar
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, jar: jar, c: &http.Client{Jar: jar, Transport: apitest.Transport(e.t, nil),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type resp struct {
	status int
	header http.Header
	body   string
}

func (r *resp) location(t testing.TB) *url.URL {
	t.Helper()
	u, err := url.Parse(r.header.Get("Location"))
	if err != nil || r.header.Get("Location") == "" {
		t.Fatalf("no redirect: %d %.500s", r.status, r.body)
	}
	return u
}

// do sends a request; paths outside the contract are not checked
// against it.
func (b *browser) do(method, target, ctype, body string, hdr ...string) *resp {
	b.t.Helper()
	if strings.HasPrefix(target, "/") {
		target = b.e.srv.URL + target
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if !strings.HasPrefix(req.URL.Path, "/login/api/") { // named tenants' login API is outside the contract's paths
		req = apitest.Unchecked(req)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return &resp{status: res.StatusCode, header: res.Header, body: string(raw)}
}

func (b *browser) get(target string) *resp { return b.do(http.MethodGet, target, "", "") }

func (b *browser) post(target string, form url.Values, hdr ...string) *resp {
	return b.do(http.MethodPost, target, "application/x-www-form-urlencoded", form.Encode(), hdr...)
}

func (b *browser) postJSON(target string, v any) map[string]any {
	b.t.Helper()
	raw, _ := json.Marshal(v)
	r := b.do(http.MethodPost, target, "application/json", string(bytes.TrimSpace(raw)))
	var out map[string]any
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		b.t.Fatalf("%s: %d %.500s", target, r.status, r.body)
	}
	out["_status"] = float64(r.status)
	return out
}

// startSignIn goes from /console/login to the hosted login and returns
// the authorization request's ID and the tenant's base path.
func (b *browser) startSignIn(tenant string) (string, string) {
	b.t.Helper()
	r := b.get("/console/login?tenant=" + url.QueryEscape(tenant))
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("/console/login: %d %.500s", r.status, r.body)
	}
	authz := r.location(b.t)
	r = b.get(authz.String())
	login := r.location(b.t)
	id := login.Query().Get("authRequestID")
	if id == "" {
		b.t.Fatalf("/authorize sent the browser to %s, want the login", login)
	}
	base := ""
	if tenant != "" && tenant != "default" {
		base = "/t/" + tenant
	}
	return id, base
}

// password answers the login API with email and password and returns its
// result.
func (b *browser) password(base, id, email string) map[string]any {
	return b.postJSON(base+"/login/api/authenticate", map[string]string{"auth_request_id": id, "identifier": email, "password": password})
}

// totp answers a TOTP challenge of request id.
func (b *browser) totp(base, id, secret string) map[string]any {
	b.t.Helper()
	ch := b.postJSON(base+"/login/api/mfa/challenge", map[string]string{"auth_request_id": id, "method": "totp"})
	cid, _ := ch["challenge_id"].(string)
	if cid == "" {
		b.t.Fatalf("challenge: %v", ch)
	}
	code, _ := totp.GenerateCode(secret, b.e.clock.Now())
	return b.postJSON(base+"/login/api/mfa", map[string]string{"auth_request_id": id, "challenge_id": cid, "code": code})
}

// callback follows a complete login result back to the console.
func (b *browser) callback(res map[string]any) *resp {
	b.t.Helper()
	to, _ := res["redirect_to"].(string)
	if res["status"] != "complete" || to == "" {
		b.t.Fatalf("login result %v, want complete", res)
	}
	return b.get(to)
}

// signIn signs in to the console (with the TOTP secret when given) and
// checks it lands on the dashboard.
func (b *browser) signIn(tenant, email, secret string) {
	b.t.Helper()
	id, base := b.startSignIn(tenant)
	res := b.password(base, id, email)
	if secret != "" {
		if res["status"] != "mfa_required" {
			b.t.Fatalf("password: %v, want mfa_required", res)
		}
		res = b.totp(base, id, secret)
	}
	r := b.callback(res)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/" {
		b.t.Fatalf("callback: %d %s %.500s", r.status, r.header.Get("Location"), r.body)
	}
	if d := b.get("/console/"); d.status != http.StatusOK {
		b.t.Fatalf("dashboard: %d %.500s", d.status, d.body)
	}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads a form token from a console page.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	r := b.get(path)
	m := csrfRe.FindStringSubmatch(r.body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s: %d %.500s", path, r.status, r.body)
	}
	return m[1]
}

// consoleCookie reports whether the browser holds a console session.
func (b *browser) consoleCookie() bool {
	u, _ := url.Parse(b.e.srv.URL + "/console/")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == "gh_console" && c.Value != "" {
			return true
		}
	}
	return false
}

// engines runs fn on SQLite and on PostgreSQL (GATEHOUSE_TEST_POSTGRES_DSN,
// as in CI; skipped without it locally).
func engines(t *testing.T, fn func(t *testing.T, database []string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, nil) })
	t.Run("postgres", func(t *testing.T) { fn(t, []string{pgtest.SchemaURL(t, "gh_console")}) })
}
