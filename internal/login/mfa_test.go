package login_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
)

// The second factor through the pages, without JavaScript: TOTP on a
// controlled clock, the attempt limit, step-up by acr_values, remembered
// devices and the enrolment grace period. The ID tokens are checked by a
// go-oidc relying party.

const (
	acrPwd = "urn:gatehouse:acr:pwd"
	acrMFA = "urn:gatehouse:acr:mfa"
)

func TestTOTPRequiredByPolicy(t *testing.T) {
	clock := newFakeClock()
	log := &eventLog{}
	e := newMFAEnv(t, clock, log)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired})
	e.createUser(userSpec{email: "ada@example.com"})
	c := e.createClient(clientSpec{firstParty: true})

	// First sign-in: the password, then enrolment (no grace, so no skip).
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	r := b.signIn(b.startLogin(e.issuer(""), a), "ada@example.com", testPassword)
	enrol := b.expectRedirect(r, "/login/mfa/enrol")
	if strings.Contains(enrol.body, `id="skip"`) || !strings.Contains(enrol.body, `<img id="totp-qr"`) {
		t.Fatalf("enrolment page: %.2000s", enrol.body)
	}
	secret, done := b.enrolAtSignIn(enrol, clock)
	e.wantACR(a, done, acrMFA, "pwd", "otp", "mfa")
	if got := log.take(); !slices.Equal(got, []string{events.LoginChallenged, events.LoginSucceeded}) {
		t.Fatalf("events %v", got)
	}

	// Signed out (a new browser): password, then the code. The code just
	// used for enrolment is refused (replay); the next step's is taken.
	b = newBrowser(t)
	a = newAuthz(c, "openid")
	r = b.signIn(b.startLogin(e.issuer(""), a), "ada@example.com", testPassword)
	page := b.expectRedirect(r, "/login/mfa")
	if !strings.Contains(page.body, `autocomplete="one-time-code"`) || strings.Contains(page.body, `id="remember"`) {
		t.Fatalf("second-factor page: %.2000s", page.body)
	}
	replay := b.answerCode(page, totpCode(t, secret, clock.Now()))
	if replay.status != http.StatusOK || !strings.Contains(replay.body, `id="form-error"`) {
		t.Fatalf("replayed code: %d %.2000s", replay.status, replay.body)
	}
	clock.Advance(30 * time.Second)
	e.wantACR(a, b.answerCode(replay, totpCode(t, secret, clock.Now())), acrMFA, "pwd", "otp", "mfa")
	if got := log.take(); !slices.Equal(got, []string{events.LoginChallenged, events.LoginFailed, events.LoginSucceeded}) {
		t.Fatalf("events %v", got)
	}
	b2 := newBrowser(t)
	r = b2.signIn(b2.startLogin(e.issuer(""), newAuthz(c, "openid")), "ada@example.com", "wrong password")
	if got := log.take(); r.status != http.StatusOK || !slices.Equal(got, []string{events.LoginFailed}) {
		t.Fatalf("wrong password: %d, events %v", r.status, got)
	}

	// A session with the factor serves the next request without asking.
	a = newAuthz(c, "openid")
	e.wantACR(a, b.get(a.url(e.issuer(""))).followLogin(b), acrMFA, "pwd", "otp", "mfa")
}

// followLogin follows /authorize to the login page, which answers with
// the redirect to the client.
func (r *resp) followLogin(b *browser) *resp {
	b.t.Helper()
	return b.get(r.location(b.t).String())
}

func TestWrongCodesKillTheChallenge(t *testing.T) {
	clock := newFakeClock()
	e := newMFAEnv(t, clock)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired})
	e.createUser(userSpec{email: "bo@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	secret, _ := b.enrolAtSignIn(b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "bo@example.com", testPassword), "/login/mfa/enrol"), clock)
	clock.Advance(30 * time.Second)

	b = newBrowser(t)
	a = newAuthz(c, "openid")
	page := b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "bo@example.com", testPassword), "/login/mfa")
	first := page.form(t, "challenge").values.Get("challenge")
	for i := range 5 {
		page = b.answerCode(page, "000000")
		if got := page.form(t, "challenge").values.Get("challenge"); got != first || !strings.Contains(page.body, `id="form-error"`) {
			t.Fatalf("wrong code %d: challenge %q (want %q), page %.1500s", i+1, got, first, page.body)
		}
	}
	// The sixth answer, even the right one, meets a dead challenge and
	// gets a new one.
	page = b.answerCode(page, totpCode(t, secret, clock.Now()))
	if got := page.form(t, "challenge").values.Get("challenge"); got == first || page.status != http.StatusOK {
		t.Fatalf("after 5 wrong codes the challenge must die: %d %q", page.status, got)
	}
	e.wantACR(a, b.answerCode(page, totpCode(t, secret, clock.Now())), acrMFA, "pwd", "otp", "mfa")
}

// An optional-MFA tenant: a password is enough until a relying party asks
// for acr_values=urn:gatehouse:acr:mfa (then the user enrols a factor) or
// the user has a factor (then it is asked after the password).
func TestStepUpByACRValues(t *testing.T) {
	clock := newFakeClock()
	e := newMFAEnv(t, clock)
	e.createUser(userSpec{email: "cy@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)

	a := newAuthz(c, "openid")
	e.wantACR(a, b.signIn(b.startLogin(e.issuer(""), a), "cy@example.com", testPassword), acrPwd, "pwd")

	// No factor yet: asking for MFA leads to enrolment, without a skip.
	a = newAuthz(c, "openid").with("acr_values", acrMFA)
	enrol := b.expectRedirect(b.get(a.url(e.issuer(""))).followLogin(b), "/login/mfa/enrol")
	if strings.Contains(enrol.body, `id="skip"`) {
		t.Fatal("acr_values demand the factor: no skipping")
	}
	secret, done := b.enrolAtSignIn(enrol, clock)
	e.wantACR(a, done, acrMFA, "pwd", "otp", "mfa")

	// Another browser: now that the user has a factor, the password is
	// no longer enough, even in an optional-MFA tenant; only the code is
	// asked after it, not the password again.
	clock.Advance(30 * time.Second)
	b = newBrowser(t)
	a = newAuthz(c, "openid")
	page := b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "cy@example.com", testPassword), "/login/mfa")
	if strings.Contains(page.body, `name="password"`) {
		t.Fatal("the second factor must not ask for the password again")
	}
	e.wantACR(a, b.answerCode(page, totpCode(t, secret, clock.Now())), acrMFA, "pwd", "otp", "mfa")

	// phr needs WebAuthn, which the user lacks: enrolment offers a passkey
	// only (TOTP would not reach phr).
	a = newAuthz(c, "openid").with("acr_values", "phr")
	enrol = b.expectRedirect(b.get(a.url(e.issuer(""))).followLogin(b), "/login/mfa/enrol")
	if !strings.Contains(enrol.body, `id="passkey-enrol"`) || strings.Contains(enrol.body, `id="totp-qr"`) {
		t.Fatalf("phr enrolment: %.2000s", enrol.body)
	}

	// prompt=none cannot step up: the client hears login_required.
	b = newBrowser(t)
	a = newAuthz(c, "openid")
	b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "cy@example.com", testPassword), "/login/mfa")
	a = newAuthz(c, "openid").with("acr_values", acrMFA).with("prompt", "none")
	a.callbackError(t, b.get(a.url(e.issuer(""))).followLogin(b), "login_required")
}

func TestRememberDevice(t *testing.T) {
	clock := newFakeClock()
	e := newMFAEnv(t, clock)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired, RememberDeviceDays: 30})
	uid := e.createUser(userSpec{email: "di@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	secret, _ := b.enrolAtSignIn(b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "di@example.com", testPassword), "/login/mfa/enrol"), clock)

	// A forced sign-in asks for the factor, and offers to remember.
	clock.Advance(30 * time.Second)
	a = newAuthz(c, "openid").with("prompt", "login")
	page := b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "di@example.com", testPassword), "/login/mfa")
	if !strings.Contains(page.body, `id="remember"`) {
		t.Fatalf("no remember checkbox: %.2000s", page.body)
	}
	r := b.answerCode(page, totpCode(t, secret, clock.Now()), "remember", "1")
	var device *http.Cookie
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == "gh_device" {
			device = ck
		}
	}
	if device == nil || !device.HttpOnly || device.Path != "/" || device.Expires.Before(time.Now().Add(29*24*time.Hour)) {
		t.Fatalf("device cookie: %+v", device)
	}
	e.wantACR(a, r, acrMFA, "pwd", "otp", "mfa")

	// The remembered device skips the factor the policy asks for; the
	// token says honestly that only the password was used.
	a = newAuthz(c, "openid").with("prompt", "login")
	e.wantACR(a, b.signIn(b.startLogin(e.issuer(""), a), "di@example.com", testPassword), acrPwd, "pwd")
	// A client asking for MFA gets a fresh factor all the same.
	a = newAuthz(c, "openid").with("acr_values", acrMFA)
	b.expectRedirect(b.get(a.url(e.issuer(""))).followLogin(b), "/login/mfa")

	// Forgetting the user's devices revokes the cookie.
	if err := e.srv.App.MFA.ForgetDevices(context.Background(), e.mfaTarget(""), uid); err != nil {
		t.Fatal(err)
	}
	a = newAuthz(c, "openid").with("prompt", "login")
	b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "di@example.com", testPassword), "/login/mfa")
}

func TestEnrolmentGracePeriod(t *testing.T) {
	clock := newFakeClock()
	e := newMFAEnv(t, clock)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired, GracePeriod: identity.Duration(7 * 24 * time.Hour)})
	e.createUser(userSpec{email: "ed@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)

	a := newAuthz(c, "openid")
	enrol := b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "ed@example.com", testPassword), "/login/mfa/enrol")
	skip := enrol.form(t, "authRequestID")
	for _, f := range enrol.forms(t) {
		if strings.HasSuffix(f.action, "/login/mfa/skip") {
			skip = f
		}
	}
	if !strings.HasSuffix(skip.action, "/login/mfa/skip") {
		t.Fatalf("no skip form within the grace period: %.2000s", enrol.body)
	}
	e.wantACR(a, b.submit(enrol, skip), acrPwd, "pwd")

	// Single sign-on within the grace period does not nag.
	a = newAuthz(c, "openid")
	e.wantACR(a, b.get(a.url(e.issuer(""))).followLogin(b), acrPwd, "pwd")

	// After the grace period, enrolment is required, and skipping is refused.
	clock.Advance(8 * 24 * time.Hour)
	a = newAuthz(c, "openid")
	enrol = b.expectRedirect(b.get(a.url(e.issuer(""))).followLogin(b), "/login/mfa/enrol")
	if strings.Contains(enrol.body, `id="skip"`) {
		t.Fatal("skip offered after the grace period")
	}
	skip.values.Set("authRequestID", enrol.form(t, "enrolment").values.Get("authRequestID"))
	r := b.submit(enrol, skip)
	if loc := r.location(t); loc.Path != "/login/mfa/enrol" {
		t.Fatalf("skipping after the grace period went to %s", loc)
	}
}

// Where the login takes no second factor, a session without the one the
// policy asks for gets nowhere: the headless API answers mfa_required
// (and completes nothing), the device page refuses to approve, and
// another request asks for the password again. After the factor on the
// hosted pages, the same browser session approves the device.
func TestMFARequiredOutsideThePages(t *testing.T) {
	clock := newFakeClock()
	e := newMFAEnv(t, clock)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired})
	e.createUser(userSpec{email: "fay@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := apiBrowser(t)

	a := newAuthz(c, "openid")
	r := b.postJSON(e.issuer("")+"/login/api/authenticate", map[string]string{
		"auth_request_id": b.authRequestID(e.issuer(""), a), "identifier": "fay@example.com", "password": testPassword,
	})
	if res := decodeResult(t, r); res.Status != gen.LoginResultStatusMfaRequired || res.RedirectTo != nil {
		t.Fatalf("headless sign-in without the factor: %d %s", r.status, r.body)
	}

	dc := deviceClient(e)
	d := e.startDevice(dc, "openid")
	confirm := b.get(d.VerificationURIComplete)
	refused := b.submit(confirm, confirm.form(t, "user_code"), "action", "approve")
	if refused.status != http.StatusForbidden || !strings.Contains(refused.body, "requires a second factor") {
		t.Fatalf("device approval without the factor: %d %.600s", refused.status, refused.body)
	}
	if status, tk := e.pollDevice(dc, d); status != http.StatusBadRequest || tk.Error != "authorization_pending" {
		t.Fatalf("poll: %d %+v", status, tk)
	}

	// The password-only session signs nobody in: a new request asks for
	// the password again, then the enrolment.
	a = newAuthz(c, "openid")
	signedIn := b.signIn(b.startLogin(e.issuer(""), a), "fay@example.com", testPassword)
	_, done := b.enrolAtSignIn(b.expectRedirect(signedIn, "/login/mfa/enrol"), clock)
	e.wantACR(a, done, acrMFA, "pwd", "otp", "mfa")
	confirm = b.get(d.VerificationURIComplete)
	if ok := b.submit(confirm, confirm.form(t, "user_code"), "action", "approve"); !strings.Contains(ok.body, "Device connected") {
		t.Fatalf("device approval with the factor: %.500s", ok.body)
	}
}

// A conditional policy asks for MFA at sign-in to one client only: the
// same session serves another client with the password alone, and steps
// up for that one.
func TestPolicyRequiredForClient(t *testing.T) {
	clock := newFakeClock()
	e := newMFAEnv(t, clock)
	e.createUser(userSpec{email: "gil@example.com"})
	plain := e.createClient(clientSpec{firstParty: true, name: "Shop"})
	admin := e.createClient(clientSpec{firstParty: true, name: "Back office"})
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeConditional, RequiredClients: []string{admin.id}})
	b := newBrowser(t)

	a := newAuthz(plain, "openid")
	e.wantACR(a, b.signIn(b.startLogin(e.issuer(""), a), "gil@example.com", testPassword), acrPwd, "pwd")
	a = newAuthz(admin, "openid")
	_, done := b.enrolAtSignIn(b.expectRedirect(b.get(a.url(e.issuer(""))).followLogin(b), "/login/mfa/enrol"), clock)
	e.wantACR(a, done, acrMFA, "pwd", "otp", "mfa")
}

// max_age=0 with acr_values on a session that has the factor: a fresh
// sign-in is due, so the password comes first, then the factor again
// (the new session starts with the password only). A recovery code
// answers it, once.
func TestMaxAgeStepUpAndRecoveryCode(t *testing.T) {
	clock := newFakeClock()
	e := newMFAEnv(t, clock)
	e.createUser(userSpec{email: "hal@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	a := newAuthz(c, "openid").with("acr_values", acrMFA)
	enrol := b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "hal@example.com", testPassword), "/login/mfa/enrol")
	codes := b.submit(enrol, enrol.form(t, "enrolment", "code"), "code", totpCode(t, totpSecret(t, enrol), clock.Now()))
	m := regexp.MustCompile(`<li><code>([^<]+)</code></li>`).FindStringSubmatch(codes.body)
	if m == nil {
		t.Fatalf("no recovery codes: %.1500s", codes.body)
	}
	recovery := m[1]

	// The login's clock runs ahead of the session's real auth_time.
	clock.Advance(31 * time.Second)
	a = newAuthz(c, "openid").with("acr_values", acrMFA).with("max_age", "0")
	signin := b.get(a.url(e.issuer(""))).followLogin(b)
	page := b.expectRedirect(b.signIn(signin, "hal@example.com", testPassword), "/login/mfa")
	var link string
	for _, l := range regexp.MustCompile(`href="([^"]*method=recovery_codes[^"]*)"`).FindAllStringSubmatch(page.body, -1) {
		link = strings.ReplaceAll(l[1], "&amp;", "&")
	}
	if link == "" {
		t.Fatalf("no recovery code option: %.1500s", page.body)
	}
	next, _ := page.url.Parse(link)
	page = b.get(next.String())
	if !strings.Contains(page.body, `name="method" value="recovery_codes"`) {
		t.Fatalf("recovery code form: %.1500s", page.body)
	}
	e.wantACR(a, b.answerCode(page, recovery), acrMFA, "pwd", "otp", "mfa")

	// The code is spent.
	a = newAuthz(c, "openid").with("acr_values", acrMFA).with("prompt", "login")
	page = b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "hal@example.com", testPassword), "/login/mfa")
	page = b.get(page.url.String() + "&method=recovery_codes")
	if reused := b.answerCode(page, recovery); !strings.Contains(reused.body, `id="form-error"`) {
		t.Fatalf("a recovery code works once: %d %.1500s", reused.status, reused.body)
	}
}

// A tenant that allows email codes: a user with a verified address and no
// other factor gets a code by mail as the second factor, no enrolment.
// After a wrong code the page shows the same challenge and still says
// where its code went (issue 10 item 12: it said "We sent a code to .").
func TestEmailCodeSecondFactor(t *testing.T) {
	e, ms := newMailEnv(t)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired, AllowEmailOTP: true})
	e.markEmailVerified(e.createUser(userSpec{email: "ivy@example.com"}))
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	page := b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "ivy@example.com", testPassword), "/login/mfa")
	const sent = "We sent a code to i***@example.com."
	if !strings.Contains(page.body, `name="method" value="email_otp"`) || !strings.Contains(page.body, sent) {
		t.Fatalf("email code page: %.2000s", page.body)
	}
	first := page.form(t, "challenge").values.Get("challenge")
	code, wrong := mfaMailCode(t, ms, "ivy@example.com"), "000000"
	if code == wrong {
		wrong = "111111"
	}
	page = b.answerCode(page, wrong)
	if got := page.form(t, "challenge").values.Get("challenge"); got != first || !strings.Contains(page.body, `id="form-error"`) {
		t.Fatalf("after a wrong code: challenge %q (want %q): %.1500s", got, first, page.body)
	}
	if !strings.Contains(page.body, sent) {
		t.Fatalf("after a wrong code the page no longer says where the code went: %.2000s", page.body)
	}
	e.wantACR(a, b.answerCode(page, code), acrMFA, "pwd", "otp", "mfa")
}
