package login_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
)

// Registering and accepting an invitation into an organization in one
// step (issue 14), in a tenant whose self-registration is off: the
// invitation is the tenant's permission. The mail comes over SMTP; the
// accept page offers the registration form with the invited address
// locked; its POST creates the user (verified, with the password checks
// of registration), the membership with the invitation's roles, uses
// the invitation and signs in. The attacker's side: a tampered, expired,
// used or other tenant's token, another email posted, an address that
// has an account, no CSRF token, a replay.

var orgInviteRegisterLinkRe = regexp.MustCompile(`href="([^"]*/invite/organization/register\?[^"]+)"`)

type orgInviteEnv struct {
	*env
	ms     *mailtest.Server
	tenant string
	orgID  string
	roleID string
}

// onEngines runs fn on a server on SQLite and on one on PostgreSQL (the
// latter only with GATEHOUSE_TEST_POSTGRES_DSN, as in CI); db is the
// server's extra environment.
func onEngines(t *testing.T, fn func(t *testing.T, db map[string]string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, nil) })
	t.Run("postgres", func(t *testing.T) {
		fn(t, map[string]string{"GATEHOUSE_DATABASE": pgtest.SchemaURL(t, "gh_orginvite")})
	})
}

func newOrgInviteEnv(t *testing.T, db map[string]string) *orgInviteEnv {
	e, ms := newMailEnvWith(t, db)
	quietRisk(t, e.srv)
	ctx := context.Background()
	e.createOnboardingTenant("closed", gen.Onboarding{RegistrationEnabled: onbBool(false)})
	display := "Acme Corp"
	o, err := e.srv.Admin.CreateTenantOrganizationWithResponse(ctx, "closed", &gen.CreateTenantOrganizationParams{},
		gen.OrganizationCreate{Name: "acme-corp", DisplayName: &display})
	if err != nil || o.JSON201 == nil {
		t.Fatalf("create organization: %v %s", err, o.Body)
	}
	role, err := e.srv.Admin.CreateTenantRoleWithResponse(ctx, "closed", &gen.CreateTenantRoleParams{}, gen.RoleCreate{Name: "accountant"})
	if err != nil || role.JSON201 == nil {
		t.Fatalf("create role: %v %s", err, role.Body)
	}
	return &orgInviteEnv{env: e, ms: ms, tenant: "closed", orgID: o.JSON201.ID, roleID: role.JSON201.ID}
}

// invite invites email into the organization with its role and returns
// the mailed accept link.
func (e *orgInviteEnv) invite(email string) string {
	e.t.Helper()
	roles := []string{e.roleID}
	in := gen.OrganizationInvitationCreate{Email: openapi_types.Email(email), Roles: &roles}
	res, err := e.srv.Admin.CreateTenantOrganizationInvitationWithResponse(context.Background(), e.tenant, e.orgID,
		&gen.CreateTenantOrganizationInvitationParams{}, in)
	if err != nil || res.JSON201 == nil {
		e.t.Fatalf("invite: %v %s", err, res.Body)
	}
	m := e.ms.WaitFor(e.t, email, 10*time.Second)
	link := orgInviteLinkRe.FindString(m.Text)
	if link == "" {
		e.t.Fatalf("invitation mail:\n%s", m.Text)
	}
	return link
}

// users returns the tenant's users with email.
func (e *orgInviteEnv) users(email string) []gen.User {
	e.t.Helper()
	f := gen.EmailFilter(email)
	r, err := e.srv.Admin.ListTenantUsersWithResponse(context.Background(), e.tenant, &gen.ListTenantUsersParams{Email: &f})
	if err != nil || r.JSON200 == nil {
		e.t.Fatalf("list users: %v %s", err, r.Body)
	}
	return r.JSON200.Items
}

// memberRoles returns the names of userID's roles in the organization.
func (e *orgInviteEnv) memberRoles(userID string) []string {
	e.t.Helper()
	r, err := e.srv.Admin.ListTenantOrganizationMemberRolesWithResponse(context.Background(), e.tenant, e.orgID, userID,
		&gen.ListTenantOrganizationMemberRolesParams{})
	if err != nil || r.JSON200 == nil {
		e.t.Fatalf("member roles: %v %s", err, r.Body)
	}
	var names []string
	for _, ro := range r.JSON200.Items {
		names = append(names, ro.Name)
	}
	return names
}

// registerForm opens the accept page of link and follows its
// registration link.
func registerFormOf(t *testing.T, b *browser, link string) *resp {
	t.Helper()
	accept := b.get(link)
	m := orgInviteRegisterLinkRe.FindStringSubmatch(accept.body)
	if accept.status != 200 || m == nil || !strings.Contains(accept.body, "no account with this address") {
		t.Fatalf("accept page: %d %.1500s", accept.status, accept.body)
	}
	u, err := accept.url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return b.get(u.String())
}

func TestOrganizationInvitationRegister(t *testing.T) {
	onEngines(t, testOrganizationInvitationRegister)
}

func testOrganizationInvitationRegister(t *testing.T, db map[string]string) {
	e := newOrgInviteEnv(t, db)
	link := e.invite("newcomer@example.com")

	b := newBrowser(t)
	form := registerFormOf(t, b, link)
	if form.status != 200 || !strings.Contains(form.body, "invited to join Acme Corp") ||
		!regexp.MustCompile(`id="email"[^>]* readonly value="newcomer@example.com"`).MatchString(form.body) {
		t.Fatalf("registration form: %d %.2500s", form.status, form.body)
	}
	f := form.form(t, "token", "csrf", "password")

	// Without the CSRF token: refused, nothing created.
	vals := url.Values{"token": f.values["token"], "password": {newPassword}, "terms": {"accepted"}}
	if r := b.post(form.url.String(), vals); r.status != http.StatusForbidden {
		t.Fatalf("without CSRF: %d", r.status)
	}
	// Registration's password checks apply: a breached password is
	// refused, the form comes back, the token still works.
	weak := b.submit(form, f, "email", "mallory@example.com", "password", breachedPassword, "terms", "accepted")
	if weak.status != http.StatusUnprocessableEntity || !strings.Contains(weak.body, `id="password-error"`) ||
		!strings.Contains(weak.body, `value="newcomer@example.com"`) {
		t.Fatalf("breached password: %d %.2500s", weak.status, weak.body)
	}
	// A tampered token: the invalid page.
	tampered := b.submit(weak, weak.form(t, "token", "csrf"), "token", f.values.Get("token")+"x",
		"password", newPassword, "terms", "accepted")
	if tampered.status != http.StatusBadRequest || !strings.Contains(tampered.body, "not valid") {
		t.Fatalf("tampered token: %d %.1500s", tampered.status, tampered.body)
	}
	if n := len(e.users("newcomer@example.com")) + len(e.users("mallory@example.com")); n != 0 {
		t.Fatalf("%d users after refused registrations", n)
	}

	// Another address posted is ignored: the account is the invited one.
	done := b.submit(weak, weak.form(t, "token", "csrf"), "email", "mallory@example.com", "given_name", "Nia",
		"password", newPassword, "terms", "accepted")
	if done.status != 200 || !strings.Contains(done.body, "now a member of Acme Corp") {
		t.Fatalf("register: %d %.1500s", done.status, done.body)
	}
	if len(e.users("mallory@example.com")) != 0 {
		t.Fatal("the posted address was registered")
	}
	us := e.users("newcomer@example.com")
	if len(us) != 1 || !us[0].EmailVerified || us[0].GivenName == nil || *us[0].GivenName != "Nia" {
		t.Fatalf("registered user: %+v", us)
	}
	if roles := e.memberRoles(us[0].ID); len(roles) != 1 || roles[0] != "accountant" {
		t.Fatalf("member roles: %v", roles)
	}
	// Signed in: the account API answers with the session cookie.
	if me := b.get(e.issuer(e.tenant) + "/v1/me"); me.status != 200 || !strings.Contains(me.body, "newcomer@example.com") {
		t.Fatalf("/v1/me after registering: %d %.500s", me.status, me.body)
	}

	// Replay of the same POST, and the link again: used up.
	if again := b.submit(weak, weak.form(t, "token", "csrf"), "password", newPassword, "terms", "accepted"); again.status != http.StatusBadRequest {
		t.Fatalf("replay: %d %.800s", again.status, again.body)
	}
	if again := newBrowser(t).get(link); again.status != http.StatusBadRequest {
		t.Fatalf("used link: %d", again.status)
	}
	if len(e.users("newcomer@example.com")) != 1 {
		t.Fatal("a replay created another user")
	}

	// An address that has an account: the accept page (prove it), never
	// a second account nor a new password for that one.
	janeID := e.createUser(userSpec{tenant: e.tenant, email: "jane@example.com"})
	jlink := e.invite("jane@example.com")
	tok := strings.SplitN(jlink, "token=", 2)[1]
	jb := newBrowser(t)
	jpage := jb.get(e.issuer(e.tenant) + "/invite/organization/register?token=" + tok)
	if jpage.status != http.StatusConflict || !strings.Contains(jpage.body, `autocomplete="current-password"`) {
		t.Fatalf("register page for an existing account: %d %.1500s", jpage.status, jpage.body)
	}
	// A POST forged at the registration route with a fresh CSRF token
	// of the registration form does not register either.
	fresh := registerFormOf(t, jb, e.invite("other@example.com"))
	forged := jb.submit(fresh, fresh.form(t, "token", "csrf"), "token", tok, "password", newPassword, "terms", "accepted")
	if forged.status != http.StatusConflict {
		t.Fatalf("registering an existing address: %d %.1500s", forged.status, forged.body)
	}
	if us := e.users("jane@example.com"); len(us) != 1 || us[0].ID != janeID {
		t.Fatalf("users of jane@example.com: %+v", us)
	}

	// Another tenant's token, and an expired one.
	defOrg, err := e.srv.Admin.CreateOrganizationWithResponse(context.Background(), &gen.CreateOrganizationParams{}, gen.OrganizationCreate{Name: "elsewhere"})
	if err != nil || defOrg.JSON201 == nil {
		t.Fatalf("create organization: %v", err)
	}
	other, err := e.srv.Admin.CreateOrganizationInvitationWithResponse(context.Background(), defOrg.JSON201.ID,
		&gen.CreateOrganizationInvitationParams{}, gen.OrganizationInvitationCreate{Email: "visitor@example.com"})
	if err != nil || other.JSON201 == nil {
		t.Fatalf("invite in the default tenant: %v", err)
	}
	otherTok := strings.SplitN(orgInviteLinkRe.FindString(e.ms.WaitFor(t, "visitor@example.com", 10*time.Second).Text), "token=", 2)[1]
	if r := newBrowser(t).get(e.issuer(e.tenant) + "/invite/organization/register?token=" + otherTok); r.status != http.StatusBadRequest {
		t.Fatalf("another tenant's token: %d", r.status)
	}
}

// An invited registration attached to an authorization request goes on
// to the client, as after verifying an address; the German page is
// German.
func TestOrganizationInvitationRegisterContinues(t *testing.T) {
	e := newOrgInviteEnv(t, nil)
	c := e.createClient(clientSpec{tenant: e.tenant, firstParty: true})
	a := newAuthz(c, "openid email")
	b := newBrowser(t)
	login := b.startLogin(e.issuer(e.tenant), a)
	id := login.url.Query().Get("authRequestID")
	tok := strings.SplitN(e.invite("nia@example.com"), "token=", 2)[1]
	b.header.Set("Accept-Language", "de")
	form := b.get(e.issuer(e.tenant) + "/invite/organization/register?token=" + tok + "&authRequestID=" + url.QueryEscape(id))
	if form.status != 200 || !strings.Contains(form.body, "Sie wurden eingeladen, Acme Corp beizutreten") {
		t.Fatalf("German registration form: %d %.2000s", form.status, form.body)
	}
	done := b.submit(form, form.form(t, "token", "csrf", "authRequestID"), "password", newPassword, "terms", "accepted")
	code := a.callback(t, done)
	_, claims := e.exchange(a, code)
	if claims.Email != "nia@example.com" {
		t.Fatalf("ID token of %q", claims.Email)
	}
}

// registerUser with an invitation (the default tenant, so the contract
// checks every answer), its self-registration switched off: the address
// must be the invited one, the answer continues the request as
// verifyEmail does; a bad token, an address with an account and a
// replay are refused.
func TestOrganizationInvitationRegisterAPI(t *testing.T) {
	onEngines(t, testOrganizationInvitationRegisterAPI)
}

func testOrganizationInvitationRegisterAPI(t *testing.T, db map[string]string) {
	e, ms := newMailEnvWith(t, db)
	quietRisk(t, e.srv)
	ctx := context.Background()
	off := false
	if r, err := e.srv.Admin.UpdateTenantWithResponse(ctx, "default", nil, gen.TenantPatch{Onboarding: &gen.Onboarding{RegistrationEnabled: &off}}); err != nil || r.JSON200 == nil {
		t.Fatalf("switch registration off: %v", err)
	}
	o, err := e.srv.Admin.CreateOrganizationWithResponse(ctx, &gen.CreateOrganizationParams{}, gen.OrganizationCreate{Name: "acme-corp"})
	if err != nil || o.JSON201 == nil {
		t.Fatalf("create organization: %v", err)
	}
	invite := func(email string) string {
		t.Helper()
		res, err := e.srv.Admin.CreateOrganizationInvitationWithResponse(ctx, o.JSON201.ID, &gen.CreateOrganizationInvitationParams{},
			gen.OrganizationInvitationCreate{Email: openapi_types.Email(email)})
		if err != nil || res.JSON201 == nil {
			t.Fatalf("invite: %v", err)
		}
		return strings.SplitN(orgInviteLinkRe.FindString(ms.WaitFor(t, email, 10*time.Second).Text), "token=", 2)[1]
	}
	c := e.createClient(clientSpec{firstParty: true})
	a := newAuthz(c, "openid email")
	b := newBrowser(t)
	checked := &http.Client{Jar: b.jar, Transport: apitest.Transport(t, nil), CheckRedirect: b.c.CheckRedirect}
	post := func(req gen.RegistrationRequest) *resp {
		t.Helper()
		raw, _ := json.Marshal(req)
		hr, _ := http.NewRequest(http.MethodPost, e.issuer("")+"/register/api", strings.NewReader(string(raw)))
		hr.Header.Set("Content-Type", "application/json")
		hr.Header.Set("Origin", e.issuer(""))
		res, err := checked.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return &resp{status: res.StatusCode, header: res.Header, body: string(body)}
	}
	id := b.authRequestID(e.issuer(""), a)
	tok := invite("nia@example.com")

	// Without the invitation, registration is off.
	if r := post(gen.RegistrationRequest{AuthRequestID: id, Email: "nia@example.com", Password: newPassword, AcceptTerms: true}); r.status != http.StatusNotFound {
		t.Fatalf("without invitation: %d %s", r.status, r.body)
	}
	bad := tok + "x"
	if r := post(gen.RegistrationRequest{AuthRequestID: id, Invitation: &bad, Email: "nia@example.com", Password: newPassword, AcceptTerms: true}); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, "urn:gatehouse:problem:invalid-invitation") {
		t.Fatalf("tampered token: %d %s", r.status, r.body)
	}
	if r := post(gen.RegistrationRequest{AuthRequestID: id, Invitation: &tok, Email: "mallory@example.com", Password: newPassword, AcceptTerms: true}); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, `"/email"`) {
		t.Fatalf("another address: %d %s", r.status, r.body)
	}
	if r := post(gen.RegistrationRequest{AuthRequestID: id, Invitation: &tok, Email: "nia@example.com", Password: breachedPassword, AcceptTerms: true}); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, `"/password"`) {
		t.Fatalf("breached password: %d %s", r.status, r.body)
	}
	r := post(gen.RegistrationRequest{AuthRequestID: id, Invitation: &tok, Email: "Nia@Example.com", Password: newPassword, AcceptTerms: true})
	var res gen.VerificationResult
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &res) != nil || res.Status != gen.VerificationResultStatusComplete || res.RedirectTo == nil {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	loc, _ := url.Parse(*res.RedirectTo)
	if _, claims := e.exchange(a, loc.Query().Get("code")); claims.Email != "nia@example.com" || !claims.EmailVerified {
		t.Fatalf("ID token: %+v", claims)
	}
	// Replay: used up.
	id2 := newBrowser(t).authRequestID(e.issuer(""), newAuthz(c, "openid"))
	if r := post(gen.RegistrationRequest{AuthRequestID: id2, Invitation: &tok, Email: "nia@example.com", Password: newPassword, AcceptTerms: true}); r.status != http.StatusBadRequest {
		t.Fatalf("replay: %d %s", r.status, r.body)
	}
	// An address with an account: 409, nothing registered.
	e.createUser(userSpec{email: "jane@example.com"})
	jtok := invite("jane@example.com")
	if r := post(gen.RegistrationRequest{AuthRequestID: id2, Invitation: &jtok, Email: "jane@example.com", Password: newPassword, AcceptTerms: true}); r.status != http.StatusConflict {
		t.Fatalf("existing account: %d %s", r.status, r.body)
	}
}
