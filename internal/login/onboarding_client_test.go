package login_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

// The headless onboarding APIs driven through the generated Go client, as
// a first-party app would: register, verify, recover, reset, sign in.

// headlessApp is a first-party app's HTTP side: one cookie jar shared by
// the plain /authorize hop and the generated client, whose responses are
// checked against api/openapi.yaml.
type headlessApp struct {
	t    *testing.T
	http *http.Client
	api  *gen.ClientWithResponses
}

func newHeadlessApp(t *testing.T, e *env) *headlessApp {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		// /authorize is OAuth, outside the contract.
		Transport:     apitest.Transport(t, nil, apitest.UncheckedPrefix("/authorize")),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	origin := e.issuer("")
	api, err := gen.NewClientWithResponses(e.issuer(""), gen.WithHTTPClient(hc),
		gen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Origin", origin) // as the app's page on the issuer's origin sends it
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return &headlessApp{t: t, http: hc, api: api}
}

// authRequestID sends the authorization request and returns the ID of the
// login URL it redirects to.
func (h *headlessApp) authRequestID(issuer string, a *authz) string {
	h.t.Helper()
	res, err := h.http.Get(a.url(issuer))
	if err != nil {
		h.t.Fatal(err)
	}
	res.Body.Close()
	loc, err := res.Location()
	if err != nil {
		h.t.Fatalf("authorize: %d without a redirect: %v", res.StatusCode, err)
	}
	id := loc.Query().Get("authRequestID")
	if id == "" {
		h.t.Fatalf("authorize redirected to %s, want the login page", loc)
	}
	return id
}

// redirectCode checks the redirect_to an API answered with and returns its code.
func redirectCode(t *testing.T, a *authz, redirectTo *string) string {
	t.Helper()
	if redirectTo == nil {
		t.Fatal("no redirect_to")
	}
	u, err := url.Parse(*redirectTo)
	if err != nil {
		t.Fatal(err)
	}
	return a.callback(t, &resp{status: http.StatusFound, header: http.Header{"Location": {*redirectTo}}, url: u})
}

func TestHeadlessOnboardingWithGeneratedClient(t *testing.T) {
	e, ms := newMailEnv(t)
	c := e.createClient(clientSpec{firstParty: true})
	h := newHeadlessApp(t, e)
	ctx := context.Background()
	email := "headless.user@example.com"
	given, family := "Jane", "Doe"

	// Register for a pending authorization request.
	a := newAuthz(c, "openid email")
	reg, err := h.api.RegisterUserWithResponse(ctx, gen.RegistrationRequest{
		AuthRequestID: h.authRequestID(e.issuer(""), a), Email: email, Password: testPassword,
		GivenName: &given, FamilyName: &family, AcceptTerms: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if reg.StatusCode() != http.StatusAccepted || reg.JSON202 == nil || reg.JSON202.Status != gen.RegistrationResultStatusVerificationSent {
		t.Fatalf("registerUser: %d %s", reg.StatusCode(), reg.Body)
	}

	// Verify with the mailed code: the pending request completes.
	m := ms.WaitFor(t, email, 10*time.Second)
	if !strings.Contains(m.Subject, "Verify your email") {
		t.Fatalf("subject %q", m.Subject)
	}
	code := mailCode(t, m)
	ver, err := h.api.VerifyEmailWithResponse(ctx, gen.VerificationRequest{Email: &email, Code: &code})
	if err != nil {
		t.Fatal(err)
	}
	if ver.StatusCode() != http.StatusOK || ver.JSON200 == nil || ver.JSON200.Status != gen.VerificationResultStatusComplete {
		t.Fatalf("verifyEmail: %d %s", ver.StatusCode(), ver.Body)
	}
	_, cl := e.exchange(a, redirectCode(t, a, ver.JSON200.RedirectTo))
	if cl.Email != email || !cl.EmailVerified {
		t.Errorf("claims after verification %+v", cl)
	}
	uid := cl.Subject

	// Recover: the reset mail's code sets a new password.
	rec, err := h.api.StartPasswordRecoveryWithResponse(ctx, gen.PasswordRecoveryRequest{Email: email})
	if err != nil {
		t.Fatal(err)
	}
	if rec.StatusCode() != http.StatusAccepted {
		t.Fatalf("startPasswordRecovery: %d %s", rec.StatusCode(), rec.Body)
	}
	m = ms.WaitFor(t, email, 10*time.Second)
	if !strings.Contains(m.Subject, "Reset your") {
		t.Fatalf("subject %q", m.Subject)
	}
	code = mailCode(t, m)
	weak, err := h.api.ResetPasswordWithResponse(ctx, gen.PasswordResetRequest{Email: &email, Code: &code, NewPassword: "short"})
	if err != nil {
		t.Fatal(err)
	}
	if weak.StatusCode() != http.StatusBadRequest || weak.ApplicationProblemJSON400 == nil || !strings.Contains(string(weak.Body), "/new_password") {
		t.Fatalf("resetPassword with a weak password: %d %s", weak.StatusCode(), weak.Body)
	}
	rst, err := h.api.ResetPasswordWithResponse(ctx, gen.PasswordResetRequest{Email: &email, Code: &code, NewPassword: newPassword})
	if err != nil {
		t.Fatal(err)
	}
	if rst.StatusCode() != http.StatusNoContent {
		t.Fatalf("resetPassword: %d %s", rst.StatusCode(), rst.Body)
	}

	// Sign in through the headless login API.
	authenticate := func(password string) (*authz, *gen.AuthenticateLoginResponse) {
		t.Helper()
		a := newAuthz(c, "openid email")
		r, err := h.api.AuthenticateLoginWithResponse(ctx, gen.LoginAuthenticateRequest{
			AuthRequestID: h.authRequestID(e.issuer(""), a), Identifier: email, Password: password,
		})
		if err != nil {
			t.Fatal(err)
		}
		return a, r
	}
	if _, r := authenticate(testPassword); r.StatusCode() != http.StatusUnauthorized || r.ApplicationProblemJSON401 == nil {
		t.Errorf("authenticateLogin with the old password: %d %s", r.StatusCode(), r.Body)
	}
	a, login := authenticate(newPassword)
	if login.StatusCode() != http.StatusOK || login.JSON200 == nil || login.JSON200.Status != gen.LoginResultStatusComplete {
		t.Fatalf("authenticateLogin: %d %s", login.StatusCode(), login.Body)
	}
	_, cl = e.exchange(a, redirectCode(t, a, login.JSON200.RedirectTo))
	if cl.Subject != uid || cl.Email != email || !cl.EmailVerified {
		t.Errorf("claims after the new sign-in %+v, want sub %s", cl, uid)
	}
}
