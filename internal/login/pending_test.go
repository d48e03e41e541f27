package login_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// challengeNewDevices is the risk policy of the attack: a new device is
// challenged.
const challengeNewDevices = `{"new_device":"challenge"}`

// A sign-in that still owes a step (the risk engine's challenge, the
// second factor, a password change) starts a session that signs nobody
// in: the attacker of issue 10 item 1, who holds only the password, gets
// nothing from its cookie — not the account API, not single sign-on, not
// consent or device approval, and no factor of their own to answer the
// challenge with. Hosted pages and the headless API alike. The server
// runs on the real clock: a factor created during the test is younger
// than the session it must not answer for.

// pendingEnv is a server with a real SMTP sink and a localhost issuer
// (passkeys work), the risk policy given, a first-party and a
// third-party client, and a user with a verified address who has signed
// in once (so a new browser is a new device).
type pendingEnv struct {
	*env
	mail        *mailtest.Server
	app, other  client
	email, uid  string
	ownerDevice *browser
}

func newPendingEnv(t *testing.T, email, riskPolicy string) *pendingEnv {
	t.Helper()
	ms := mailtest.Start(t, mailtest.Options{})
	srv := testserver.New(t, testserver.Options{LocalhostIssuer: true, Env: map[string]string{"GATEHOUSE_SMTP_URL": ms.URL()}})
	setRiskPolicy(t, srv, riskPolicy)
	e := &env{t: t, srv: srv}
	p := &pendingEnv{env: e, mail: ms, email: email,
		app:   e.createClient(clientSpec{firstParty: true}),
		other: e.createClient(clientSpec{name: "Partner app"}),
	}
	p.uid = e.createUser(userSpec{email: email})
	e.markEmailVerified(p.uid)
	// The owner's browser: the first sign-in is never from a new device.
	p.ownerDevice = newBrowser(t)
	a := newAuthz(p.app, "openid")
	a.callback(t, p.ownerDevice.signIn(p.ownerDevice.startLogin(e.issuer(""), a), email, testPassword))
	return p
}

// accountAPI is a contract-checked client of the account API that sends
// the cookies of jar, from the issuer's origin (as a page of the issuer
// would).
func (e *env) accountAPI(jar http.CookieJar) *gen.ClientWithResponses {
	e.t.Helper()
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: apitest.Transport(e.t, nil),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	origin := e.issuer("")
	c, err := gen.NewClientWithResponses(origin, gen.WithHTTPClient(hc), gen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Origin", origin)
		return nil
	}))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// wantAccount checks what GET /v1/me answers the session in jar.
func (e *env) wantAccount(what string, jar http.CookieJar, status int) {
	e.t.Helper()
	me, err := e.accountAPI(jar).GetMeWithResponse(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	if me.StatusCode() != status {
		e.t.Errorf("%s: GET /v1/me with the session cookie answered %d, want %d", what, me.StatusCode(), status)
	}
}

// wantNoAccount checks that the account API refuses the session in jar
// for what the attacker of item 1 did: read the profile, change the email
// and the password, and (with enrol) enrol an authenticator app.
func (e *env) wantNoAccount(what string, jar http.CookieJar, enrol bool) {
	e.t.Helper()
	ctx := context.Background()
	api := e.accountAPI(jar)
	pw, newPW := testPassword, "an-attacker-chose-this-1"
	e.wantAccount(what, jar, http.StatusUnauthorized)
	email, err := api.StartMyEmailChangeWithResponse(ctx, gen.EmailChange{NewEmail: openapi_types.Email("attacker@example.net"), CurrentPassword: &pw})
	if err != nil {
		e.t.Fatal(err)
	}
	pwc, err := api.ChangeMyPasswordWithResponse(ctx, gen.PasswordChange{CurrentPassword: &pw, NewPassword: &newPW})
	if err != nil {
		e.t.Fatal(err)
	}
	got := map[string]int{"POST /v1/me/email": email.StatusCode(), "POST /v1/me/password": pwc.StatusCode()}
	if enrol {
		totp, err := api.StartMyTOTPEnrolmentWithResponse(ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		got["POST /v1/me/mfa/totp"] = totp.StatusCode()
	}
	for op, status := range got {
		if status != http.StatusUnauthorized {
			e.t.Errorf("%s: %s with the session cookie answered %d, want 401", what, op, status)
		}
	}
}

// wantNotSignedIn checks that the browser's session answers no request:
// prompt=none gets login_required, a plain request the sign-in form.
func (e *env) wantNotSignedIn(what string, b *browser, c client) {
	e.t.Helper()
	a := newAuthz(c, "openid").with("prompt", "none")
	a.callbackError(e.t, b.get(a.url(e.issuer(""))).followLogin(b), "login_required")
	page := b.get(newAuthz(c, "openid").url(e.issuer(""))).followLogin(b)
	if page.status != http.StatusOK || !strings.Contains(page.body, `name="password"`) {
		e.t.Errorf("%s: single sign-on answered %d %.300s, want the sign-in form", what, page.status, page.body)
	}
}

// wantNoDeviceApproval checks that the browser cannot approve a device.
func (e *env) wantNoDeviceApproval(what string, b *browser) {
	e.t.Helper()
	dc := deviceClient(e)
	d := e.startDevice(dc, "openid")
	page := b.get(d.VerificationURIComplete)
	if strings.Contains(page.body, `value="approve"`) {
		e.t.Errorf("%s: the device page offers approval", what)
	}
	approve := b.submit(page, page.form(e.t, "user_code"), "action", "approve")
	if approve.status != http.StatusForbidden {
		e.t.Errorf("%s: device approval answered %d %.300s", what, approve.status, approve.body)
	}
	if status, tk := e.pollDevice(dc, d); status != http.StatusBadRequest || tk.Error != "authorization_pending" {
		e.t.Errorf("%s: device poll after the approval: %d %+v", what, status, tk)
	}
}

// registerBegin starts the hosted login's passkey enrolment for request
// id, as webauthn.js does; csrf is the second-factor page's token.
func (e *env) registerBegin(b *browser, id, csrf string) *resp {
	e.t.Helper()
	raw, _ := json.Marshal(map[string]string{"auth_request_id": id})
	req, _ := http.NewRequest(http.MethodPost, e.issuer("")+"/login/mfa/register/begin", strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	return b.do(req)
}

// wantNoPasskeyEnrolment checks that the hosted login's passkey enrolment
// refuses the session.
func (e *env) wantNoPasskeyEnrolment(what string, b *browser, id, csrf string) {
	e.t.Helper()
	if r := e.registerBegin(b, id, csrf); r.status != http.StatusForbidden {
		e.t.Errorf("%s: passkey enrolment at sign-in answered %d %.300s", what, r.status, r.body)
	}
}

// browserOf is a browser on the cookies of a headless app, for the pages.
func browserOf(h *headlessApp) *browser {
	b := newBrowser(h.t)
	b.jar = h.http.Jar.(*cookiejar.Jar)
	b.c.Jar = b.jar
	return b
}

// The attack of item 1 on the hosted pages: the password from a new
// browser, the new_device challenge owed.
func TestPendingChallengeSignsNobodyIn(t *testing.T) {
	p := newPendingEnv(t, "ann@example.com", challengeNewDevices)
	b := newBrowser(t)
	a := newAuthz(p.app, "openid")
	r := b.signIn(b.startLogin(p.issuer(""), a), p.email, testPassword)
	challenge := b.expectRedirect(r, "/login/mfa")
	id := r.location(t).Query().Get("authRequestID")
	mfaMailCode(t, p.mail, p.email) // the challenge's code, which the attacker does not get

	p.wantNoAccount("challenge owed", b.jar, true)
	p.wantNoPasskeyEnrolment("challenge owed", b, id, challenge.form(t, "challenge", "code").values.Get("csrf"))
	if enrol := b.get(p.issuer("") + "/login/mfa/enrol?authRequestID=" + id); enrol.status == http.StatusOK {
		t.Error("the enrolment page served a session owing the challenge")
	}
	// Consent for a third-party client is not asked of this session.
	tid := b.authRequestID(p.issuer(""), newAuthz(p.other, "openid"))
	if c := b.get(p.issuer("") + "/login/consent?authRequestID=" + tid); c.status == http.StatusOK {
		t.Error("the consent page served a session owing the challenge")
	}
	p.wantNoDeviceApproval("challenge owed", b)
	p.wantNotSignedIn("challenge owed", b, p.app) // a new sign-in form: the challenged session is left behind

	// The owner, holding the code mailed to their verified address, passes
	// the challenge (in a fresh sign-in: the first one was abandoned).
	b = newBrowser(t)
	a = newAuthz(p.app, "openid")
	challenge = b.expectRedirect(b.signIn(b.startLogin(p.issuer(""), a), p.email, testPassword), "/login/mfa")
	code := mfaMailCode(t, p.mail, p.email)
	a.callback(t, b.submit(challenge, challenge.form(t, "challenge", "code"), "code", code))
	p.wantAccount("challenge passed", b.jar, http.StatusOK)
}

// The same through the headless API: authenticateLogin answers
// mfa_required with an email code, and the cookie it set opens nothing.
func TestPendingChallengeSignsNobodyInHeadless(t *testing.T) {
	p := newPendingEnv(t, "ben@example.com", challengeNewDevices)
	h := newHeadlessApp(t, p.env)
	a := newAuthz(p.app, "openid")
	id := h.authRequestID(p.issuer(""), a)
	if m := h.mfaRequired(id, p.email); len(m.Methods) != 1 || m.Methods[0] != gen.LoginMFAMethodEmailOtp {
		t.Fatalf("prompt %+v, want an email code", m)
	}
	p.wantNoAccount("challenge owed (API)", h.http.Jar, true)
	cr, err := h.api.ConsentLoginWithResponse(context.Background(), gen.LoginConsentRequest{AuthRequestID: id, Approve: true})
	if err != nil {
		t.Fatal(err)
	}
	wantProblem(t, "consent with the challenge owed", http.StatusForbidden, cr.Body, cr.StatusCode(), "urn:gatehouse:problem:mfa-required")
	b := browserOf(h)
	p.wantNoDeviceApproval("challenge owed (API)", b)

	// The code mailed to the owner's verified address answers it.
	ch := h.started(id, gen.LoginMFAMethodEmailOtp)
	p.wantComplete(a, h.verifyCode(id, ch.ChallengeID, mfaMailCode(t, p.mail, p.email)).JSON200, acrMFA, "pwd", "otp", "mfa")
	p.wantAccount("challenge passed (API)", h.http.Jar, http.StatusOK)
}

// The attacker's chain of item 1: enrol an authenticator app with the
// password-only session, then answer the challenge with it. The
// enrolment is refused; and a factor that appeared after the challenged
// sign-in started (here added through the mfa service, as any other way
// would) answers nothing: it is not offered, on the page or through the
// API. A later sign-in, which the factor predates, may use it.
func TestChallengeRefusesFactorsAddedSince(t *testing.T) {
	p := newPendingEnv(t, "cal@example.com", challengeNewDevices)
	h := newHeadlessApp(t, p.env)
	a := newAuthz(p.app, "openid")
	id := h.authRequestID(p.issuer(""), a)
	h.mfaRequired(id, p.email)
	page := newBrowser(t)
	pa := newAuthz(p.app, "openid")
	page.expectRedirect(page.signIn(page.startLogin(p.issuer(""), pa), p.email, testPassword), "/login/mfa")
	if en, err := h.api.StartMyTOTPEnrolmentWithResponse(context.Background()); err != nil || en.StatusCode() != http.StatusUnauthorized {
		t.Fatalf("startMyTOTPEnrolment with the challenge owed: %v %d %s", err, en.StatusCode(), en.Body)
	}

	secret := p.enrolTOTP(p.uid, realClock{}) // after both sign-ins started
	if r := h.challenge(id, gen.LoginMFAMethodTotp); r.StatusCode() != http.StatusForbidden {
		// Were it offered, the app's next code would answer it.
		if r.JSON200 != nil {
			v := h.verifyCode(id, r.JSON200.ChallengeID, totpCode(t, secret, time.Now().Add(30*time.Second)))
			t.Errorf("the new factor answered the challenge: %d %s", v.StatusCode(), v.Body)
		}
		t.Fatalf("challenge with a factor added since the sign-in: %d %s", r.StatusCode(), r.Body)
	}
	if totp := page.get(p.issuer("") + "/login/mfa?method=totp&authRequestID=" + page.lastURL.Query().Get("authRequestID")); strings.Contains(totp.body, `value="totp"`) {
		t.Error("the second-factor page offers the factor added since the sign-in")
	}

	// A new sign-in: the factor predates it, and answers.
	clockNext := time.Now().Add(30 * time.Second)
	a = newAuthz(p.app, "openid")
	id = h.authRequestID(p.issuer(""), a)
	if m := h.mfaRequired(id, p.email); len(m.Methods) == 0 || m.Methods[0] != gen.LoginMFAMethodTotp {
		t.Fatalf("prompt of a sign-in after the enrolment: %+v", m)
	}
	ch := h.started(id, gen.LoginMFAMethodTotp)
	p.wantComplete(a, h.verifyCode(id, ch.ChallengeID, totpCode(t, secret, clockNext)).JSON200, acrMFA, "pwd", "otp", "mfa")
}

// A user with an authenticator app signs in with the password only (the
// tenant's default policy asks for the app): the session owes the second
// factor and signs nobody in, and no factor of the attacker's can be
// enrolled at the login.
func TestPendingSecondFactorSignsNobodyIn(t *testing.T) {
	p := newPendingEnv(t, "dee@example.com", `{"new_device":"notify"}`)
	e, c := p.env, p.app
	secret := e.enrolTOTP(p.uid, realClock{})
	b := newBrowser(t)
	a := newAuthz(c, "openid")
	r := b.signIn(b.startLogin(e.issuer(""), a), "dee@example.com", testPassword)
	challenge := b.expectRedirect(r, "/login/mfa")
	id := r.location(t).Query().Get("authRequestID")

	e.wantNoAccount("second factor owed", b.jar, true)
	e.wantNoPasskeyEnrolment("second factor owed", b, id, challenge.form(t, "challenge", "code").values.Get("csrf"))
	e.wantNoDeviceApproval("second factor owed", b)
	e.wantNotSignedIn("second factor owed", b, c)

	// Headless: the same.
	h := newHeadlessApp(t, e)
	ha := newAuthz(c, "openid")
	hid := h.authRequestID(e.issuer(""), ha)
	h.mfaRequired(hid, "dee@example.com")
	e.wantNoAccount("second factor owed (API)", h.http.Jar, true)
	ch := h.started(hid, gen.LoginMFAMethodTotp)
	e.wantComplete(ha, h.verifyCode(hid, ch.ChallengeID, totpCode(t, secret, time.Now().Add(30*time.Second))).JSON200, acrMFA, "pwd", "otp", "mfa")
	e.wantAccount("second factor passed (API)", h.http.Jar, http.StatusOK)
}

// Where the policy requires MFA and the user has no factor yet, the
// password-only session owes the enrolment: the account API takes it
// for the enrolment only (the headless login's way to enrol), nothing
// else, until the new factor is used.
func TestPendingEnrolmentOnlyEnrols(t *testing.T) {
	e := newEnv(t)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired})
	c := e.createClient(clientSpec{firstParty: true})
	e.createUser(userSpec{email: "eve@example.com"})
	h := newHeadlessApp(t, e)
	a := newAuthz(c, "openid")
	id := h.authRequestID(e.issuer(""), a)
	if p := h.mfaRequired(id, "eve@example.com"); !p.Enrol {
		t.Fatalf("prompt %+v, want enrolment", p)
	}
	e.wantNoAccount("enrolment owed (API)", h.http.Jar, false)
	ctx := context.Background()
	en, err := h.api.StartMyTOTPEnrolmentWithResponse(ctx)
	if err != nil || en.JSON200 == nil {
		t.Fatalf("startMyTOTPEnrolment with the enrolment owed: %v %d %s", err, en.StatusCode(), en.Body)
	}
	now := time.Now()
	if conf, err := h.api.ConfirmMyTOTPEnrolmentWithResponse(ctx, en.JSON200.EnrolmentID, gen.TOTPConfirmation{Code: totpCode(t, en.JSON200.Secret, now)}); err != nil || conf.StatusCode() >= 300 {
		t.Fatalf("confirmMyTOTPEnrolment: %v %d %s", err, conf.StatusCode(), conf.Body)
	}
	// Enrolled, not yet used: still nothing else, and no second factor.
	e.wantNoAccount("enrolled, not used (API)", h.http.Jar, true)
	ch := h.started(id, gen.LoginMFAMethodTotp)
	e.wantComplete(a, h.verifyCode(id, ch.ChallengeID, totpCode(t, en.JSON200.Secret, now.Add(30*time.Second))).JSON200, acrMFA, "pwd", "otp", "mfa")
	e.wantAccount("factor used (API)", h.http.Jar, http.StatusOK)
}

// A user who must change the password (flagged: a breached password, or
// "this wasn't me") signs in: the session owes the change and signs
// nobody in until the hosted page took the new password.
func TestPendingPasswordChangeSignsNobodyIn(t *testing.T) {
	e := newEnv(t)
	c := e.createClient(clientSpec{firstParty: true})
	uid := e.createUser(userSpec{email: "fin@example.com"})
	sc, err := e.srv.App.Directory.Resolve(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.App.Accounts.RequirePasswordChange(context.Background(), accounts.Target{Scope: sc}, uid); err != nil {
		t.Fatal(err)
	}

	// Headless: 403 password-change-required, and the cookie opens nothing.
	h := newHeadlessApp(t, e)
	ha := newAuthz(c, "openid")
	r := h.authenticate(h.authRequestID(e.issuer(""), ha), "fin@example.com")
	wantProblem(t, "headless sign-in", http.StatusForbidden, r.Body, r.StatusCode(), "urn:gatehouse:problem:password-change-required")
	e.wantNoAccount("password change owed (API)", h.http.Jar, true)

	b := newBrowser(t)
	a := newAuthz(c, "openid")
	page := b.expectRedirect(b.signIn(b.startLogin(e.issuer(""), a), "fin@example.com", testPassword), "/login/password")
	e.wantNoAccount("password change owed", b.jar, true)
	e.wantNoDeviceApproval("password change owed", b)
	// The page still takes the new password; then the session is signed in.
	a.callback(t, b.submit(page, page.form(t, "password"), "password", "A-much-better-secret-42"))
	e.wantAccount("password changed", b.jar, http.StatusOK)
}

// A relying party asks for a phishing-resistant sign-in of a user who has
// only an authenticator app: the password alone may not add the passkey
// (whoever holds it would add their own). The app comes first; then the
// passkey is enrolled.
func TestPasskeyEnrolmentNeedsTheFactorFirst(t *testing.T) {
	p := newPendingEnv(t, "gus@example.com", `{"new_device":"notify"}`)
	secret := p.enrolTOTP(p.uid, realClock{})
	b := newBrowser(t)
	a := newAuthz(p.app, "openid").with("acr_values", "phr")
	r := b.signIn(b.startLogin(p.issuer(""), a), p.email, testPassword)
	page := b.expectRedirect(r, "/login/mfa")
	id := r.location(t).Query().Get("authRequestID")
	form := page.form(t, "challenge", "code")
	p.wantNoPasskeyEnrolment("the app not yet used", b, id, form.values.Get("csrf"))

	enrol := b.expectRedirect(b.answerCode(page, totpCode(t, secret, time.Now().Add(30*time.Second))), "/login/mfa/enrol")
	if !strings.Contains(enrol.body, `id="passkey-enrol"`) {
		t.Fatalf("enrolment page after the app: %.1500s", enrol.body)
	}
	if begin := p.registerBegin(b, id, form.values.Get("csrf")); begin.status != http.StatusOK {
		t.Fatalf("passkey enrolment after the app: %d %s", begin.status, begin.body)
	}
}
