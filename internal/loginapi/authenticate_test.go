package loginapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oapi-codegen/nullable"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// A password sign-in completes the authorization request: the redirect
// carries the code, state and iss, the code redeems for the user's ID
// token, and the session cookie the API set makes the next authorization
// single sign-on.
func TestAuthenticate(t *testing.T) {
	e := newEnv(t, testserver.Options{})
	uid := e.user("jane@example.com")
	a := e.app(e.client("Our App", true))

	r := a.authenticate(a.authorize(), "jane@example.com", password)
	res := a.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusComplete)
	if sub := a.redeem(res); sub != uid {
		t.Errorf("sub %q, want %q", sub, uid)
	}
	if r.HTTPResponse.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", r.HTTPResponse.Header.Get("Cache-Control"))
	}
	// /authorize sends the browser to the login page, which finds the
	// session and answers at once.
	loc := authorizeURL(a)
	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, loc, nil)
		res2, err := a.http.Do(apitest.Unchecked(req)) // the login page is not in the contract
		if err != nil {
			t.Fatal(err)
		}
		res2.Body.Close()
		loc = res2.Header.Get("Location")
		if res2.StatusCode != http.StatusFound {
			break
		}
	}
	if !strings.HasPrefix(loc, redirectURI+"?code=") {
		t.Errorf("second authorization ends at %q, want the code without a page", loc)
	}
}

// authorizeURL is a fresh authorization URL of a's client.
func authorizeURL(a *app) string {
	return a.e.srv.URL + "/authorize?response_type=code&scope=openid&client_id=" + a.clientID +
		"&redirect_uri=" + redirectURI + "&state=s2&code_challenge=" + strings.Repeat("A", 43) + "&code_challenge_method=S256"
}

// A wrong password and an unknown user get the same 401 problem, and no
// cookie.
func TestAuthenticateBadCredentials(t *testing.T) {
	e := newEnv(t, testserver.Options{})
	e.user("jane@example.com")
	a := e.app(e.client("Our App", true))
	id := a.authorize()
	var bodies []string
	for _, cred := range [][2]string{{"jane@example.com", "wrong password"}, {"ghost@example.com", "wrong password"}} {
		r := a.authenticate(id, cred[0], cred[1])
		if r.StatusCode() != http.StatusUnauthorized || r.ApplicationProblemJSON401 == nil ||
			problemType(r.Body) != "urn:gatehouse:problem:invalid-credentials" {
			t.Fatalf("%q/%q: %d %s", cred[0], cred[1], r.StatusCode(), r.Body)
		}
		if sc := r.HTTPResponse.Header.Values("Set-Cookie"); len(sc) > 0 {
			t.Errorf("a failed sign-in sets %v", sc)
		}
		var p map[string]any
		_ = json.Unmarshal(r.Body, &p)
		delete(p, "request_id")
		norm, _ := json.Marshal(p)
		bodies = append(bodies, string(norm))
	}
	if bodies[0] != bodies[1] {
		t.Errorf("the failures differ:\n%s", strings.Join(bodies, "\n"))
	}
	// The request is still pending: the right password completes it.
	r := a.authenticate(id, "jane@example.com", password)
	a.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusComplete)
}

// Only first-party clients may use the API: another client's request is
// refused before the password is looked at.
func TestAuthenticateOnlyFirstParty(t *testing.T) {
	e := newEnv(t, testserver.Options{})
	e.user("jane@example.com")
	a := e.app(e.client("Their App", false))
	r := a.authenticate(a.authorize(), "jane@example.com", password)
	if r.StatusCode() != http.StatusForbidden || !strings.Contains(string(r.Body), "first-party") {
		t.Fatalf("%d %s", r.StatusCode(), r.Body)
	}
}

// A first-party client asking for prompt=consent gets the consent step;
// approving completes the request, denying answers access_denied.
func TestAuthenticateConsent(t *testing.T) {
	e := newEnv(t, testserver.Options{})
	e.user("jane@example.com")
	c := e.client("Our App", true)
	for _, approve := range []bool{true, false} {
		a := e.app(c)
		id := a.authorize("prompt", "consent", "scope", "openid profile")
		r := a.authenticate(id, "jane@example.com", password)
		res := a.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusConsentRequired)
		if res.Consent == nil || res.Consent.ClientName != "Our App" || strings.Join(res.Consent.Scopes, " ") != "openid profile" {
			t.Fatalf("result %+v", res)
		}
		cr, err := a.api.ConsentLoginWithResponse(t.Context(), gen.LoginConsentRequest{AuthRequestID: id, Approve: approve})
		if err != nil {
			t.Fatal(err)
		}
		res = a.result(cr.StatusCode(), cr.Body, cr.JSON200, gen.LoginResultStatusComplete)
		if approve {
			a.redeem(res)
		} else if res.RedirectTo == nil || !strings.Contains(*res.RedirectTo, "error=access_denied") {
			t.Errorf("denied: %+v", res)
		}
	}
}

// A tenant that requires a second factor answers the password with
// mfa_required; nothing is signed in (consent is refused) until the
// factor's challenge is answered, which completes the request.
func TestAuthenticateMFARequired(t *testing.T) {
	clk := clock.NewFake(time.Now().UTC().Truncate(30 * time.Second))
	e := newEnv(t, testserver.Options{Now: clk.Now})
	uid := e.user("jo@example.com")
	if _, err := e.srv.App.Directory.UpdateTenant(t.Context(), "", 0, func(tn *identity.Tenant) error {
		tn.MFA = identity.MFAPolicy{Mode: factor.ModeRequired}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	secret := e.enrolTOTP(uid, clk)
	clk.Advance(30 * time.Second) // the enrolment used the current step's code
	a := e.app(e.client("Our App", true))

	id := a.authorize()
	r := a.authenticate(id, "jo@example.com", password)
	res := a.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusMfaRequired)
	if res.RedirectTo != nil || res.Mfa == nil || res.Mfa.Enrol ||
		!slices.Equal(res.Mfa.Methods, []gen.LoginMFAMethod{gen.LoginMFAMethodTotp}) {
		t.Fatalf("result %+v", res)
	}
	cr, err := a.api.ConsentLoginWithResponse(t.Context(), gen.LoginConsentRequest{AuthRequestID: id, Approve: true})
	if err != nil {
		t.Fatal(err)
	}
	if cr.StatusCode() != http.StatusForbidden || problemType(cr.Body) != "urn:gatehouse:problem:mfa-required" {
		t.Fatalf("consent before the factor: %d %s", cr.StatusCode(), cr.Body)
	}
	ch, err := a.api.LoginMFAChallengeWithResponse(t.Context(), gen.LoginMFAChallengeRequest{AuthRequestID: id, Method: gen.LoginMFAMethodTotp})
	if err != nil || ch.JSON200 == nil {
		t.Fatalf("challenge: %v %s", err, ch.Body)
	}
	code, err := totp.GenerateCode(secret, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	vr, err := a.api.LoginMFAVerifyWithResponse(t.Context(), gen.LoginMFAVerifyRequest{AuthRequestID: id, ChallengeID: ch.JSON200.ChallengeID, Code: &code})
	if err != nil {
		t.Fatal(err)
	}
	if sub := a.redeem(a.result(vr.StatusCode(), vr.Body, vr.JSON200, gen.LoginResultStatusComplete)); sub != uid {
		t.Errorf("sub %q", sub)
	}
}

// enrolTOTP gives the default tenant's user an authenticator app through
// the mfa service and returns its secret.
func (e *env) enrolTOTP(uid string, clk *clock.Fake) string {
	e.t.Helper()
	tn, err := e.srv.App.Directory.Resolve(e.t.Context(), "")
	if err != nil {
		e.t.Fatal(err)
	}
	tg := mfa.Target{Tenant: tn.Tenant, Store: tn.Store, Issuer: e.srv.URL}
	u, err := tn.Store.Users().Get(e.t.Context(), tn.ID, uid)
	if err != nil {
		e.t.Fatal(err)
	}
	en, err := e.srv.App.MFA.BeginTOTP(e.t.Context(), tg, u)
	if err != nil {
		e.t.Fatal(err)
	}
	code, err := totp.GenerateCode(en.Secret, clk.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.srv.App.MFA.ConfirmTOTP(e.t.Context(), tg, u, en.ID, code, "Phone"); err != nil {
		e.t.Fatal(err)
	}
	return en.Secret
}

// The risk engine's challenge: with new devices challenged, the user's
// second browser gets mfa_required (an email code, though the user has no
// factor and the tenant no MFA policy), and is signed in nowhere: no
// redirect, and consent is refused. A user who could answer no challenge
// (no factor, no verified address) is refused like a wrong password.
func TestAuthenticateRiskChallenge(t *testing.T) {
	e := newEnv(t, testserver.Options{})
	e.riskPolicy(`{"new_device":"challenge"}`)
	c := e.client("Our App", true)
	for _, verified := range []bool{true, false} {
		email := map[bool]string{true: "jane@example.com", false: "joe@example.com"}[verified]
		e.user(email, verified)
		first := e.app(c)
		r := first.authenticate(first.authorize(), email, password)
		first.redeem(first.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusComplete))

		second := e.app(c)
		id := second.authorize()
		r = second.authenticate(id, email, password)
		if !verified {
			if r.StatusCode() != http.StatusUnauthorized || problemType(r.Body) != "urn:gatehouse:problem:invalid-credentials" {
				t.Fatalf("unanswerable challenge: %d %s", r.StatusCode(), r.Body)
			}
			continue
		}
		res := second.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusMfaRequired)
		if res.RedirectTo != nil || res.Mfa == nil || !slices.Contains(res.Mfa.Methods, gen.LoginMFAMethodEmailOtp) {
			t.Fatalf("result %+v", res)
		}
		cr, err := second.api.ConsentLoginWithResponse(t.Context(), gen.LoginConsentRequest{AuthRequestID: id, Approve: true})
		if err != nil {
			t.Fatal(err)
		}
		if cr.StatusCode() != http.StatusForbidden || problemType(cr.Body) != "urn:gatehouse:problem:mfa-required" {
			t.Fatalf("consent during the challenge: %d %s", cr.StatusCode(), cr.Body)
		}
	}
}

// A client with required_purposes the user has not granted (issue 15):
// the API's complete answer sends the browser to the hosted preference
// centre, not to the client with a code.
func TestAuthenticatePrivacyStep(t *testing.T) {
	e := newEnv(t, testserver.Options{})
	e.user("pia@example.com")
	if r, err := e.srv.Admin.CreatePrivacyPurposeWithResponse(e.t.Context(), nil, gen.PrivacyPurposeCreate{
		ID: "analytics", Name: "Analytics", LegalBasis: "consent"}); err != nil || r.JSON201 == nil {
		t.Fatalf("purpose: %v %s", err, r.Body)
	}
	cid := e.client("Our App", true)
	purposes := []string{"analytics"}
	if r, err := e.srv.Admin.UpdateClientWithResponse(e.t.Context(), cid, &gen.UpdateClientParams{},
		gen.ClientPatch{RequiredPurposes: nullable.NewNullableWithValue(purposes)}); err != nil || r.JSON200 == nil {
		t.Fatalf("patch client: %v %s", err, r.Body)
	}
	a := e.app(cid)
	r := a.authenticate(a.authorize(), "pia@example.com", password)
	res := a.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusComplete)
	if res.RedirectTo == nil || !strings.HasPrefix(*res.RedirectTo, e.srv.URL+"/account/privacy?authRequestID=") {
		t.Fatalf("redirect_to %s, want the preference centre", *res.RedirectTo)
	}
}
