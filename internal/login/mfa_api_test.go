package login_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/mfa/webauthntest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The second factor through the headless login API, driven with the
// generated client (every response checked against api/openapi.yaml):
// password, mfa_required, challenge, answer, then the token endpoint's ID
// token, verified by go-oidc.

// timeSource is the time the server's mfa service runs on: a *clock.Fake,
// or realClock for a server on the real clock.
type timeSource interface{ Now() time.Time }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// enrolTOTP gives the default tenant's user an authenticator app through
// the mfa service and returns its secret. The code of the current step is
// used up by the enrolment.
func (e *env) enrolTOTP(uid string, clock timeSource) string {
	e.t.Helper()
	ctx := context.Background()
	tg, u := e.mfaUser(uid)
	en, err := e.srv.App.MFA.BeginTOTP(ctx, tg, u)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.srv.App.MFA.ConfirmTOTP(ctx, tg, u, en.ID, totpCode(e.t, en.Secret, clock.Now()), "Phone"); err != nil {
		e.t.Fatal(err)
	}
	return en.Secret
}

// mfaUser is the mfa service's view of the default tenant, and its user uid.
func (e *env) mfaUser(uid string) (mfa.Target, *identity.User) {
	e.t.Helper()
	tg := e.mfaTarget("")
	u, err := tg.Store.Users().Get(context.Background(), tg.Tenant.ID, uid)
	if err != nil {
		e.t.Fatal(err)
	}
	return tg, u
}

// newTOTPEnv is a server on clock whose default tenant requires MFA,
// with a first-party client and a user (email) who has an authenticator
// app; it returns the client and the app's secret.
func newTOTPEnv(t *testing.T, clock *clock.Fake, email string, rec ...events.Recorder) (*env, client, string) {
	t.Helper()
	e := newMFAEnv(t, clock, rec...)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired})
	uid := e.createUser(userSpec{email: email})
	return e, e.createClient(clientSpec{firstParty: true}), e.enrolTOTP(uid, clock)
}

// markEmailVerified marks a default-tenant user's address verified.
func (e *env) markEmailVerified(uid string) {
	e.t.Helper()
	tg := e.mfaTarget("")
	if _, err := tg.Store.Users().Update(context.Background(), tg.Tenant.ID, uid, 0, func(u *identity.User) error {
		u.EmailVerified = true
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
}

var mfaCodeRe = regexp.MustCompile(`\s([0-9]{6})\s`)

// mfaMailCode reads the code of the next mail to addr.
func mfaMailCode(t *testing.T, ms *mailtest.Server, addr string) string {
	t.Helper()
	m := mfaCodeRe.FindStringSubmatch(ms.WaitFor(t, addr, 10*time.Second).Text)
	if m == nil {
		t.Fatal("no code in the mail")
	}
	return m[1]
}

func (h *headlessApp) authenticate(id, email string) *gen.AuthenticateLoginResponse {
	h.t.Helper()
	r, err := h.api.AuthenticateLoginWithResponse(context.Background(), gen.LoginAuthenticateRequest{AuthRequestID: id, Identifier: email, Password: testPassword})
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// mfaRequired signs in with the password and checks that the answer is
// mfa_required; it returns the prompt.
func (h *headlessApp) mfaRequired(id, email string) *gen.LoginMFAPrompt {
	h.t.Helper()
	r := h.authenticate(id, email)
	if r.StatusCode() != http.StatusOK || r.JSON200 == nil || r.JSON200.Status != gen.LoginResultStatusMfaRequired ||
		r.JSON200.Mfa == nil || r.JSON200.RedirectTo != nil {
		h.t.Fatalf("authenticateLogin: %d %s, want mfa_required", r.StatusCode(), r.Body)
	}
	return r.JSON200.Mfa
}

func (h *headlessApp) challenge(id string, m gen.LoginMFAMethod) *gen.LoginMFAChallengeResponse {
	h.t.Helper()
	r, err := h.api.LoginMFAChallengeWithResponse(context.Background(), gen.LoginMFAChallengeRequest{AuthRequestID: id, Method: m})
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// started starts a challenge and checks it was.
func (h *headlessApp) started(id string, m gen.LoginMFAMethod) *gen.LoginMFAChallenge {
	h.t.Helper()
	r := h.challenge(id, m)
	if r.StatusCode() != http.StatusOK || r.JSON200 == nil || r.JSON200.Method != m {
		h.t.Fatalf("loginMFAChallenge %s: %d %s", m, r.StatusCode(), r.Body)
	}
	return r.JSON200
}

func (h *headlessApp) verify(body gen.LoginMFAVerifyRequest) *gen.LoginMFAVerifyResponse {
	h.t.Helper()
	r, err := h.api.LoginMFAVerifyWithResponse(context.Background(), body)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

func (h *headlessApp) verifyCode(id, challengeID, code string) *gen.LoginMFAVerifyResponse {
	h.t.Helper()
	return h.verify(gen.LoginMFAVerifyRequest{AuthRequestID: id, ChallengeID: challengeID, Code: &code})
}

// completeWithTOTP answers a new TOTP challenge of request id with the
// clock's code and checks the completed request's ID token.
func (h *headlessApp) completeWithTOTP(e *env, a *authz, id, secret string, clock *clock.Fake) {
	h.t.Helper()
	ch := h.started(id, gen.LoginMFAMethodTotp)
	e.wantComplete(a, h.verifyCode(id, ch.ChallengeID, totpCode(h.t, secret, clock.Now())).JSON200, acrMFA, "pwd", "otp", "mfa")
}

// wantProblem checks a response's status and problem type.
func wantProblem(t *testing.T, what string, status int, body []byte, got int, typ string) {
	t.Helper()
	var p struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(body, &p)
	if got != status || p.Type != typ {
		t.Fatalf("%s: %d %s, want %d %s", what, got, body, status, typ)
	}
}

// wantComplete checks a complete LoginResult and the ID token its code
// redeems for.
func (e *env) wantComplete(a *authz, res *gen.LoginResult, acr string, amr ...string) {
	e.t.Helper()
	if res == nil || res.Status != gen.LoginResultStatusComplete {
		e.t.Fatalf("result %+v, want complete", res)
	}
	gotACR, gotAMR := e.idClaims(a, redirectCode(e.t, a, res.RedirectTo))
	if gotACR != acr || !slices.Equal(gotAMR, amr) {
		e.t.Fatalf("ID token acr %q amr %v, want %q %v", gotACR, gotAMR, acr, amr)
	}
}

func TestHeadlessMFAWithTOTP(t *testing.T) {
	clock := newFakeClock()
	log := &eventLog{}
	e, c, secret := newTOTPEnv(t, clock, "jo@example.com", log)
	clock.Advance(30 * time.Second)
	h := newHeadlessApp(t, e)
	ctx := context.Background()

	a := newAuthz(c, "openid")
	id := h.authRequestID(e.issuer(""), a)
	prompt := h.mfaRequired(id, "jo@example.com")
	if prompt.RequiredAcr != gen.LoginMFAPromptRequiredAcrUrnGatehouseAcrMfa || prompt.Enrol || prompt.GraceUntil != nil ||
		!slices.Equal(prompt.Methods, []gen.LoginMFAMethod{gen.LoginMFAMethodTotp}) {
		t.Fatalf("prompt %+v", prompt)
	}
	// Consent before the factor is refused.
	cr, err := h.api.ConsentLoginWithResponse(ctx, gen.LoginConsentRequest{AuthRequestID: id, Approve: true})
	if err != nil {
		t.Fatal(err)
	}
	wantProblem(t, "consent without the factor", http.StatusForbidden, cr.Body, cr.StatusCode(), "urn:gatehouse:problem:mfa-required")
	// Only the user's methods can be challenged, and only by the session.
	if r := h.challenge(id, gen.LoginMFAMethodEmailOtp); r.StatusCode() != http.StatusForbidden || r.ApplicationProblemJSON403 == nil {
		t.Fatalf("challenge of a method not offered: %d %s", r.StatusCode(), r.Body)
	}
	if r := newHeadlessApp(t, e).challenge(id, gen.LoginMFAMethodTotp); r.StatusCode() != http.StatusUnauthorized {
		t.Fatalf("challenge without the session: %d %s", r.StatusCode(), r.Body)
	}

	ch := h.started(id, gen.LoginMFAMethodTotp)
	if !ch.ExpiresAt.Equal(clock.Now().Add(5*time.Minute)) || ch.Masked != nil || ch.WebauthnOptions != nil {
		t.Fatalf("challenge %+v", ch)
	}
	r := h.verifyCode(id, ch.ChallengeID, "000000")
	wantProblem(t, "wrong code", http.StatusUnauthorized, r.Body, r.StatusCode(), "urn:gatehouse:problem:mfa-invalid")
	r = h.verifyCode(id, "no-such-challenge", "000000")
	wantProblem(t, "unknown challenge", http.StatusGone, r.Body, r.StatusCode(), "urn:gatehouse:problem:mfa-challenge-expired")
	code := totpCode(t, secret, clock.Now())
	r = h.verifyCode(id, ch.ChallengeID, code)
	if r.StatusCode() != http.StatusOK {
		t.Fatalf("right code: %d %s", r.StatusCode(), r.Body)
	}
	e.wantComplete(a, r.JSON200, acrMFA, "pwd", "otp", "mfa")
	if got := log.take(); !slices.Equal(got, []string{events.LoginChallenged, events.LoginFailed, events.LoginFailed, events.LoginSucceeded}) {
		t.Fatalf("events %v", got)
	}

	// A forced sign-in asks again; the code just used is refused (replay).
	a = newAuthz(c, "openid").with("prompt", "login")
	id = h.authRequestID(e.issuer(""), a)
	h.mfaRequired(id, "jo@example.com")
	ch = h.started(id, gen.LoginMFAMethodTotp)
	r = h.verifyCode(id, ch.ChallengeID, code)
	wantProblem(t, "replayed code", http.StatusUnauthorized, r.Body, r.StatusCode(), "urn:gatehouse:problem:mfa-invalid")
}

func TestHeadlessMFAFiveWrongCodes(t *testing.T) {
	clock := newFakeClock()
	e, c, secret := newTOTPEnv(t, clock, "kim@example.com")
	clock.Advance(30 * time.Second)
	h := newHeadlessApp(t, e)
	a := newAuthz(c, "openid")
	id := h.authRequestID(e.issuer(""), a)
	h.mfaRequired(id, "kim@example.com")

	ch := h.started(id, gen.LoginMFAMethodTotp)
	for i := 1; i <= 4; i++ {
		r := h.verifyCode(id, ch.ChallengeID, "000000")
		wantProblem(t, "wrong code", http.StatusUnauthorized, r.Body, r.StatusCode(), "urn:gatehouse:problem:mfa-invalid")
	}
	// The fifth wrong code kills the challenge; the right one comes too late.
	r := h.verifyCode(id, ch.ChallengeID, "000000")
	wantProblem(t, "fifth wrong code", http.StatusGone, r.Body, r.StatusCode(), "urn:gatehouse:problem:mfa-challenge-expired")
	r = h.verifyCode(id, ch.ChallengeID, totpCode(t, secret, clock.Now()))
	wantProblem(t, "right code on a dead challenge", http.StatusGone, r.Body, r.StatusCode(), "urn:gatehouse:problem:mfa-challenge-expired")

	// A new challenge takes it.
	h.completeWithTOTP(e, a, id, secret, clock)
}

// An expired challenge takes no answer.
func TestHeadlessMFAChallengeExpires(t *testing.T) {
	clock := newFakeClock()
	e, c, secret := newTOTPEnv(t, clock, "lee@example.com")
	h := newHeadlessApp(t, e)
	id := h.authRequestID(e.issuer(""), newAuthz(c, "openid"))
	h.mfaRequired(id, "lee@example.com")
	ch := h.started(id, gen.LoginMFAMethodTotp)
	clock.Advance(5 * time.Minute)
	r := h.verifyCode(id, ch.ChallengeID, totpCode(t, secret, clock.Now()))
	wantProblem(t, "expired challenge", http.StatusGone, r.Body, r.StatusCode(), "urn:gatehouse:problem:mfa-challenge-expired")
}

// A code by email from the real SMTP sink, with "remember this device":
// the next forced sign-in from the same app needs the password only.
func TestHeadlessMFAEmailCodeAndRememberedDevice(t *testing.T) {
	clock := newFakeClock()
	e, ms := newMailEnv(t, clock.Now)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired, AllowEmailOTP: true, RememberDeviceDays: 30})
	e.markEmailVerified(e.createUser(userSpec{email: "ivy@example.com"}))
	c := e.createClient(clientSpec{firstParty: true})
	h := newHeadlessApp(t, e)

	a := newAuthz(c, "openid")
	id := h.authRequestID(e.issuer(""), a)
	if p := h.mfaRequired(id, "ivy@example.com"); p.Enrol || !slices.Equal(p.Methods, []gen.LoginMFAMethod{gen.LoginMFAMethodEmailOtp}) {
		t.Fatalf("prompt %+v", p)
	}
	ch := h.started(id, gen.LoginMFAMethodEmailOtp)
	if ch.Masked == nil || *ch.Masked != "i***@example.com" {
		t.Fatalf("masked %v", ch.Masked)
	}
	code, remember := mfaMailCode(t, ms, "ivy@example.com"), true
	r := h.verify(gen.LoginMFAVerifyRequest{AuthRequestID: id, ChallengeID: ch.ChallengeID, Code: &code, RememberDevice: &remember})
	if r.StatusCode() != http.StatusOK || !slices.ContainsFunc(r.HTTPResponse.Cookies(), func(c *http.Cookie) bool {
		return c.Name == "gh_device" && c.HttpOnly && c.Value != ""
	}) {
		t.Fatalf("verify with remember_device: %d %v %s", r.StatusCode(), r.HTTPResponse.Header.Values("Set-Cookie"), r.Body)
	}
	e.wantComplete(a, r.JSON200, acrMFA, "pwd", "otp", "mfa")

	a = newAuthz(c, "openid").with("prompt", "login")
	again := h.authenticate(h.authRequestID(e.issuer(""), a), "ivy@example.com")
	if again.StatusCode() != http.StatusOK {
		t.Fatalf("sign-in from the remembered device: %d %s", again.StatusCode(), again.Body)
	}
	e.wantComplete(a, again.JSON200, acrPwd, "pwd")
}

// A user without a factor enrols one through the account API with the
// session cookie, then answers a challenge with it. Within a grace
// period the sign-in completes and says so.
func TestHeadlessMFAEnrolment(t *testing.T) {
	clock := newFakeClock()
	e := newMFAEnv(t, clock)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired})
	e.createUser(userSpec{email: "max@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	h := newHeadlessApp(t, e)
	ctx := context.Background()

	a := newAuthz(c, "openid")
	id := h.authRequestID(e.issuer(""), a)
	if p := h.mfaRequired(id, "max@example.com"); !p.Enrol || len(p.Methods) != 0 || p.GraceUntil != nil {
		t.Fatalf("prompt %+v, want enrolment", p)
	}
	if r := h.challenge(id, gen.LoginMFAMethodTotp); r.StatusCode() != http.StatusForbidden {
		t.Fatalf("challenge without a factor: %d %s", r.StatusCode(), r.Body)
	}
	en, err := h.api.StartMyTOTPEnrolmentWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if en.JSON200 == nil {
		t.Fatalf("startMyTOTPEnrolment with the session cookie: %d %s", en.StatusCode(), en.Body)
	}
	conf, err := h.api.ConfirmMyTOTPEnrolmentWithResponse(ctx, en.JSON200.EnrolmentID, gen.TOTPConfirmation{Code: totpCode(t, en.JSON200.Secret, clock.Now())})
	if err != nil {
		t.Fatal(err)
	}
	if conf.StatusCode() >= 300 {
		t.Fatalf("confirmMyTOTPEnrolment: %d %s", conf.StatusCode(), conf.Body)
	}
	clock.Advance(30 * time.Second)
	h.completeWithTOTP(e, a, id, en.JSON200.Secret, clock)
}

// Within the policy's grace period the sign-in completes and says that
// enrolment is due.
func TestHeadlessMFAGracePeriod(t *testing.T) {
	clock := newFakeClock()
	e := newMFAEnv(t, clock)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired, GracePeriod: identity.Duration(7 * 24 * time.Hour)})
	e.createUser(userSpec{email: "ned@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	h := newHeadlessApp(t, e)
	a := newAuthz(c, "openid")
	r := h.authenticate(h.authRequestID(e.issuer(""), a), "ned@example.com")
	if r.JSON200 == nil || r.JSON200.Mfa == nil || !r.JSON200.Mfa.Enrol || r.JSON200.Mfa.GraceUntil == nil ||
		r.JSON200.Mfa.GraceUntil.Before(clock.Now().Add(6*24*time.Hour)) {
		t.Fatalf("sign-in within the grace period: %d %s", r.StatusCode(), r.Body)
	}
	e.wantComplete(a, r.JSON200, acrPwd, "pwd")
}

// Verifying the address is no second factor: verifyEmail continues the
// request only as far as the factor.
func TestHeadlessVerifyEmailAsksForTheFactor(t *testing.T) {
	clock := newFakeClock()
	e, ms := newMailEnv(t, clock.Now)
	e.setMFAPolicy("", identity.MFAPolicy{Mode: factor.ModeRequired})
	if _, err := e.srv.App.Directory.UpdateTenant(context.Background(), "", 0, func(t *identity.Tenant) error {
		t.Onboarding.RequireVerifiedEmail = true
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	uid := e.createUser(userSpec{email: "oz@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	secret := e.enrolTOTP(uid, clock)
	ms.WaitFor(t, "oz@example.com", 10*time.Second) // the notice of the new factor
	clock.Advance(30 * time.Second)
	h := newHeadlessApp(t, e)

	a := newAuthz(c, "openid")
	id := h.authRequestID(e.issuer(""), a)
	r := h.authenticate(id, "oz@example.com")
	wantProblem(t, "unverified", http.StatusForbidden, r.Body, r.StatusCode(), "urn:gatehouse:problem:email-unverified")
	email, code := "oz@example.com", mailCode(t, ms.WaitFor(t, "oz@example.com", 10*time.Second))
	ver, err := h.api.VerifyEmailWithResponse(context.Background(), gen.VerificationRequest{Email: &email, Code: &code})
	if err != nil {
		t.Fatal(err)
	}
	if ver.JSON200 == nil || ver.JSON200.Status != gen.VerificationResultStatusMfaRequired || ver.JSON200.Mfa == nil ||
		!slices.Equal(ver.JSON200.Mfa.Methods, []gen.LoginMFAMethod{gen.LoginMFAMethodTotp}) {
		t.Fatalf("verifyEmail: %d %s, want mfa_required", ver.StatusCode(), ver.Body)
	}
	h.completeWithTOTP(e, a, id, secret, clock)
}

// The operations' request checks, each answered with its problem.
func TestHeadlessMFARequestChecks(t *testing.T) {
	e, c, _ := newTOTPEnv(t, newFakeClock(), "pat@example.com")
	b := apiBrowser(t)
	id := b.authRequestID(e.issuer(""), newAuthz(c, "openid"))
	if res := decodeResult(t, b.postJSON(e.issuer("")+"/login/api/authenticate", gen.LoginAuthenticateRequest{
		AuthRequestID: id, Identifier: "pat@example.com", Password: testPassword,
	})); res.Status != gen.LoginResultStatusMfaRequired {
		t.Fatalf("result %+v", res)
	}
	challenge, verify := e.issuer("")+"/login/api/mfa/challenge", e.issuer("")+"/login/api/mfa"
	cases := []struct {
		name, url, body string
		status          int
	}{
		{"unknown method", challenge, `{"auth_request_id":"` + id + `","method":"carrier_pigeon"}`, 400},
		{"missing method", challenge, `{"auth_request_id":"` + id + `"}`, 400},
		{"unknown request", challenge, `{"auth_request_id":"nope","method":"totp"}`, 404},
		{"code and credential", verify, `{"auth_request_id":"` + id + `","challenge_id":"x","code":"123456","credential":{}}`, 400},
		{"no answer", verify, `{"auth_request_id":"` + id + `","challenge_id":"x"}`, 400},
		{"long code", verify, `{"auth_request_id":"` + id + `","challenge_id":"x","code":"` + strings.Repeat("1", 65) + `"}`, 400},
		{"long challenge", verify, `{"auth_request_id":"` + id + `","challenge_id":"` + strings.Repeat("x", 129) + `","code":"1"}`, 400},
		{"unknown member", verify, `{"auth_request_id":"` + id + `","challenge_id":"x","code":"1","extra":1}`, 400},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(http.MethodPost, tc.url, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		if r := b.do(req); r.status != tc.status || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s, want %d", tc.name, r.status, r.body, tc.status)
		}
	}
}

// A security key answers a phr request through the API: the challenge
// carries the navigator.credentials.get() options, the software
// authenticator signs them, and the ID token says phr. An assertion by
// another key is refused.
func TestHeadlessMFAWithPasskey(t *testing.T) {
	clock := newFakeClock()
	e := &env{t: t, srv: testserver.New(t, testserver.Options{LocalhostIssuer: true, Now: clock.Now})}
	uid := e.createUser(userSpec{email: "quinn@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	ctx := context.Background()
	tg, u := e.mfaUser(uid)
	newKey := func() *webauthntest.Authenticator {
		k, err := webauthntest.New("localhost", e.issuer(""), false)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	key := newKey()
	regID, opts, err := e.srv.App.MFA.BeginWebAuthnRegistration(ctx, tg, u, false)
	if err != nil {
		t.Fatal(err)
	}
	cred, err := key.Register(opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.App.MFA.FinishWebAuthnRegistration(ctx, tg, u, regID, "YubiKey", cred); err != nil {
		t.Fatal(err)
	}
	h := newHeadlessApp(t, e)
	a := newAuthz(c, "openid").with("acr_values", "phr")
	id := h.authRequestID(e.issuer(""), a)
	if p := h.mfaRequired(id, "quinn@example.com"); p.RequiredAcr != gen.LoginMFAPromptRequiredAcrPhr || p.Enrol ||
		!slices.Equal(p.Methods, []gen.LoginMFAMethod{gen.LoginMFAMethodWebauthn}) {
		t.Fatalf("prompt %+v", p)
	}

	// answer signs the options of a new challenge with k.
	answer := func(k *webauthntest.Authenticator, count uint32) *gen.LoginMFAVerifyResponse {
		t.Helper()
		ch := h.started(id, gen.LoginMFAMethodWebauthn)
		if ch.WebauthnOptions == nil {
			t.Fatalf("challenge without webauthn_options: %+v", ch)
		}
		raw, _ := json.Marshal(*ch.WebauthnOptions)
		o, err := webauthntest.ParseOptions(raw)
		if err != nil || len(o.PublicKey.AllowCredentials) != 1 {
			t.Fatalf("options %s: %v", raw, err)
		}
		assertion, err := k.Assert(raw, count)
		if err != nil {
			t.Fatal(err)
		}
		var cred map[string]any
		if err := json.Unmarshal(assertion, &cred); err != nil {
			t.Fatal(err)
		}
		return h.verify(gen.LoginMFAVerifyRequest{AuthRequestID: id, ChallengeID: ch.ChallengeID, Credential: &cred})
	}
	stranger := newKey()
	stranger.Handle = key.Handle
	r := answer(stranger, 1)
	wantProblem(t, "another key", http.StatusUnauthorized, r.Body, r.StatusCode(), "urn:gatehouse:problem:mfa-invalid")

	r = answer(key, 1)
	if r.StatusCode() != http.StatusOK || r.JSON200 == nil || r.JSON200.Status != gen.LoginResultStatusComplete {
		t.Fatalf("verify with the key: %d %s", r.StatusCode(), r.Body)
	}
	acr, amr := e.idClaims(a, redirectCode(t, a, r.JSON200.RedirectTo))
	for _, m := range []string{"pwd", "hwk", "user", "mfa"} {
		if !slices.Contains(amr, m) {
			t.Fatalf("acr %q amr %v, want phr with %s", acr, amr, m)
		}
	}
	if acr != "phr" {
		t.Fatalf("acr %q, want phr", acr)
	}
}
