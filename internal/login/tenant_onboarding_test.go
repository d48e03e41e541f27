package login_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// Per-tenant onboarding settings (identity.Onboarding) on the hosted pages
// and the login API.

func (e *env) createOnboardingTenant(slug string, o gen.Onboarding) {
	e.t.Helper()
	r, err := e.srv.Admin.CreateTenantWithResponse(context.Background(), &gen.CreateTenantParams{},
		gen.TenantCreate{Slug: slug, Onboarding: &o})
	if err != nil {
		e.t.Fatalf("create tenant: %v", err)
	}
	if r.JSON201 == nil {
		e.t.Fatalf("create tenant: %d %s", r.StatusCode(), r.Body)
	}
}

func onbBool(b bool) *bool    { return &b }
func onbStr(s string) *string { return &s }

func (e *env) tenantUser(tenant, email string) gen.User {
	e.t.Helper()
	f := gen.EmailFilter(email)
	r, err := e.srv.Admin.ListTenantUsersWithResponse(context.Background(), tenant, &gen.ListTenantUsersParams{Email: &f})
	if err != nil || r.JSON200 == nil || len(r.JSON200.Items) != 1 {
		e.t.Fatalf("list users of %s by %s: %v %s", tenant, email, err, r.Body)
	}
	return r.JSON200.Items[0]
}

func TestTenantRegistrationDisabled(t *testing.T) {
	e := newEnv(t)
	e.createOnboardingTenant("closed", gen.Onboarding{RegistrationEnabled: onbBool(false)})
	c := e.createClient(clientSpec{tenant: "closed", firstParty: true})
	b := newBrowser(t)
	login := b.startLogin(e.issuer("closed"), newAuthz(c, "openid"))
	id := login.url.Query().Get("authRequestID")
	if strings.Contains(login.body, "register?") {
		t.Errorf("sign-in page of a closed tenant links to registration")
	}

	if r := b.get(e.issuer("closed") + "/register?authRequestID=" + id); r.status != http.StatusNotFound {
		t.Errorf("register page of a closed tenant: %d", r.status)
	}
	b.header.Set("Origin", e.srv.URL)
	r := b.postJSON(e.issuer("closed")+"/register/api", gen.RegistrationRequest{
		AuthRequestID: id, Email: "x@example.com", Password: newPassword, AcceptTerms: true,
	})
	if r.status != http.StatusNotFound {
		t.Errorf("register API of a closed tenant: %d %s", r.status, r.body)
	}
	// Other tenants keep registration.
	c2 := e.createClient(clientSpec{firstParty: true})
	if reg := newBrowser(t).registerPage(newBrowser(t).startLogin(e.issuer(""), newAuthz(c2, "openid"))); reg.status != http.StatusOK {
		t.Errorf("register page of the default tenant: %d", reg.status)
	}
}

func TestRegistrationRequiresTenantTerms(t *testing.T) {
	e, ms := newMailEnv(t)
	e.createOnboardingTenant("terms", gen.Onboarding{TermsVersion: onbStr("2026-05"), TermsURI: onbStr("https://terms.example/tos")})
	c := e.createClient(clientSpec{tenant: "terms", firstParty: true})
	b := newBrowser(t)
	reg := b.registerPage(b.startLogin(e.issuer("terms"), newAuthz(c, "openid")))
	if reg.status != http.StatusOK || !strings.Contains(reg.body, `href="https://terms.example/tos"`) ||
		!strings.Contains(reg.body, "version 2026-05") {
		t.Fatalf("register page does not link the terms: %d %.2000s", reg.status, reg.body)
	}

	// A stale version (the terms changed after the page was shown) is refused.
	f := reg.form(t, "email", "password", "terms_version")
	r := b.submit(reg, f, "email", "stale@example.com", "password", newPassword, "terms", "accepted", "terms_version", "2026-01")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "2026-05") {
		t.Fatalf("stale terms version: %d %.1500s", r.status, r.body)
	}

	sent := b.register(reg, "terms.user@example.com", newPassword)
	if sent.status != http.StatusOK {
		t.Fatalf("registration: %d %.800s", sent.status, sent.body)
	}
	ms.WaitFor(t, "terms.user@example.com", 10*time.Second)
	u := e.tenantUser("terms", "terms.user@example.com")
	if u.TermsVersion == nil || *u.TermsVersion != "2026-05" || u.TermsAcceptedAt == nil ||
		time.Since(*u.TermsAcceptedAt) > time.Minute {
		t.Errorf("user terms: version %v at %v", u.TermsVersion, u.TermsAcceptedAt)
	}

	// The API: without accept_terms_version a field error, with it accepted.
	api := newBrowser(t)
	api.header.Set("Origin", e.srv.URL)
	id := api.startLogin(e.issuer("terms"), newAuthz(c, "openid")).url.Query().Get("authRequestID")
	r = api.postJSON(e.issuer("terms")+"/register/api", gen.RegistrationRequest{
		AuthRequestID: id, Email: "api.terms@example.com", Password: newPassword, AcceptTerms: true,
	})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "/accept_terms_version") {
		t.Fatalf("API without terms version: %d %s", r.status, r.body)
	}
	r = api.postJSON(e.issuer("terms")+"/register/api", gen.RegistrationRequest{
		AuthRequestID: id, Email: "api.terms@example.com", Password: newPassword, AcceptTerms: true,
		AcceptTermsVersion: onbStr("2026-05"),
	})
	if r.status != http.StatusAccepted {
		t.Fatalf("API with terms version: %d %s", r.status, r.body)
	}
	ms.WaitFor(t, "api.terms@example.com", 10*time.Second)
	if u := e.tenantUser("terms", "api.terms@example.com"); u.TermsVersion == nil || *u.TermsVersion != "2026-05" || u.TermsAcceptedAt == nil {
		t.Errorf("API user terms: version %v at %v", u.TermsVersion, u.TermsAcceptedAt)
	}
	// Users created without terms carry none.
	e.createUser(userSpec{tenant: "terms", email: "admin.made@example.com"})
	if u := e.tenantUser("terms", "admin.made@example.com"); u.TermsVersion != nil || u.TermsAcceptedAt != nil {
		t.Errorf("admin-created user has terms: %v %v", u.TermsVersion, u.TermsAcceptedAt)
	}
}

var verifyLinkRe = regexp.MustCompile(`id="verify-link" href="([^"]+)"`)

func TestUnverifiedSignInBlockedByTenant(t *testing.T) {
	e, ms := newMailEnv(t)
	e.createOnboardingTenant("strict", gen.Onboarding{AllowUnverifiedSignIn: onbBool(false)})
	e.createUser(userSpec{tenant: "strict", email: "unverified@example.com"})
	c := e.createClient(clientSpec{tenant: "strict", firstParty: true})
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	login := b.startLogin(e.issuer("strict"), a)

	// A wrong password learns nothing about verification.
	bad := b.signIn(login, "unverified@example.com", "wrong password entirely")
	if strings.Contains(bad.body, "Verify your email") || !strings.Contains(bad.body, `id="form-error"`) {
		t.Fatalf("wrong password: %d %.1500s", bad.status, bad.body)
	}

	r := b.signIn(login, "unverified@example.com", testPassword)
	m := verifyLinkRe.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Verify your email first") || m == nil {
		t.Fatalf("unverified sign-in: %d %.2000s", r.status, r.body)
	}
	code := mailCode(t, ms.WaitFor(t, "unverified@example.com", 10*time.Second))

	// The verify page takes the code and continues the request.
	u, err := r.url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
	if err != nil {
		t.Fatal(err)
	}
	vp := b.get(u.String())
	done := b.submit(vp, vp.form(t, "code"), "email", "unverified@example.com", "code", code)
	a.callback(t, done)

	// The headless API refuses with its own problem type.
	e.createUser(userSpec{tenant: "strict", email: "api.unverified@example.com"})
	api := newBrowser(t)
	api.header.Set("Origin", e.srv.URL)
	id := api.startLogin(e.issuer("strict"), newAuthz(c, "openid")).url.Query().Get("authRequestID")
	r = api.postJSON(e.issuer("strict")+"/login/api/authenticate", gen.LoginAuthenticateRequest{
		AuthRequestID: id, Identifier: "api.unverified@example.com", Password: testPassword,
	})
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "urn:gatehouse:problem:email-unverified") {
		t.Fatalf("API unverified sign-in: %d %s", r.status, r.body)
	}
	ms.WaitFor(t, "api.unverified@example.com", 10*time.Second)
}

func TestUnverifiedSignInAllowedByDefault(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "unverified@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	a.callback(t, b.signIn(b.startLogin(e.issuer(""), a), "unverified@example.com", testPassword))
}
