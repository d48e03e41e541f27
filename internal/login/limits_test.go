package login_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// assertLimited checks a 429 page or problem with a Retry-After of at
// least one second.
func assertLimited(t *testing.T, what string, r *resp) {
	t.Helper()
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("%s: %d, want 429: %.400s", what, r.status, r.body)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("%s: Retry-After = %q", what, r.header.Get("Retry-After"))
	}
}

// Wrong passwords for one identifier back off that account and source
// (the risk engine's pair back-off: the budget is per account+source, so
// an attacker elsewhere cannot lock the owner out), page and API alike;
// the right password of another user still signs in from the same IP.
func TestSignInRateLimitedPerIdentifier(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "alice@example.com"})
	e.createUser(userSpec{email: "bob@example.com"})
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	page := b.startLogin(e.issuer(""), newAuthz(c, "openid"))
	for i := range 3 {
		if r := b.signIn(page, "alice@example.com", "wrong password "+strconv.Itoa(i)); r.status != http.StatusOK {
			t.Fatalf("wrong password %d: %d", i+1, r.status)
		}
	}
	// Case and spaces do not give a fresh budget; the right password does not help.
	r := b.signIn(page, " Alice@Example.com", testPassword)
	assertLimited(t, "4th sign-in", r)
	if !strings.Contains(r.body, "Too many attempts") {
		t.Errorf("429 page: %.600s", r.body)
	}

	api := newBrowser(t)
	api.header.Set("Origin", e.issuer(""))
	id := api.startLogin(e.issuer(""), newAuthz(c, "openid")).url.Query().Get("authRequestID")
	r = api.postJSON(e.issuer("")+"/login/api/authenticate", gen.LoginAuthenticateRequest{
		AuthRequestID: id, Identifier: "alice@example.com", Password: testPassword,
	})
	assertLimited(t, "API sign-in", r)
	if !strings.Contains(r.body, "urn:gatehouse:problem:rate-limited") {
		t.Errorf("API 429 body: %s", r.body)
	}

	a := newAuthz(c, "openid")
	ok := b.signIn(b.startLogin(e.issuer(""), a), "bob@example.com", testPassword)
	if a.callback(t, ok) == "" {
		t.Fatal("bob's sign-in did not complete")
	}
}

// Thirty sign-ins from one IP, whatever the identifiers, then 429.
func TestSignInRateLimitedPerIP(t *testing.T) {
	e := newEnv(t)
	// The risk engine's stuffing throttle would answer first: this test is
	// of the login's own limit, so the test address is on the allow list.
	setRiskPolicy(t, e.srv, `{"new_device":"notify","allow_cidrs":["127.0.0.1/32"]}`)
	c := e.createClient(clientSpec{firstParty: true})
	b := newBrowser(t)
	page := b.startLogin(e.issuer(""), newAuthz(c, "openid"))
	for i := range 30 {
		if r := b.signIn(page, "nobody"+strconv.Itoa(i)+"@example.com", "wrong"); r.status != http.StatusOK {
			t.Fatalf("sign-in %d: %d", i+1, r.status)
		}
	}
	// The bucket refills one sign-in every 2 s, so on a slow machine a few
	// more may pass; sending faster than that, a 429 must come.
	assertLimited(t, "sign-ins past the burst from one IP", untilLimited(func(i int) *resp {
		return b.signIn(page, "other"+strconv.Itoa(i)+"@example.com", "wrong")
	}))
}

// untilLimited sends until the answer is 429, at most 100 times, and
// returns the last answer.
func untilLimited(send func(i int) *resp) *resp {
	var r *resp
	for i := range 100 {
		if r = send(i); r.status == http.StatusTooManyRequests {
			break
		}
	}
	return r
}

// The device page takes twenty user codes a minute from one IP (a burst
// of twenty, then one every 3 s).
func TestDeviceCodeRateLimited(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t)
	page := b.get(e.issuer("") + "/device")
	for i := range 20 {
		r := b.submit(page, page.form(t, "user_code"), "user_code", "BCDF-GHJ"+string(rune('K'+i%10)))
		if r.status == http.StatusTooManyRequests {
			t.Fatalf("code %d already limited", i+1)
		}
	}
	assertLimited(t, "codes past the burst", untilLimited(func(int) *resp {
		return b.submit(page, page.form(t, "user_code"), "user_code", "BCDF-GHJK")
	}))
	assertLimited(t, "code in the URL", untilLimited(func(int) *resp {
		return b.get(e.issuer("") + "/device?user_code=BCDF-GHJK")
	}))
}

// A reset link is tried at most five times an hour, whatever the IP's
// budget; another token has its own.
func TestResetLinkRateLimitedPerToken(t *testing.T) {
	e, _ := newMailEnv(t)
	b := newBrowser(t)
	for i := range 5 {
		if r := b.get(e.issuer("") + "/recover/reset?token=guessed-token"); r.status != http.StatusBadRequest {
			t.Fatalf("try %d: %d, want 400", i+1, r.status)
		}
	}
	assertLimited(t, "6th try of one token", b.get(e.issuer("")+"/recover/reset?token=guessed-token"))
	if r := b.get(e.issuer("") + "/recover/reset?token=other-token"); r.status != http.StatusBadRequest {
		t.Fatalf("another token: %d, want 400", r.status)
	}
	api := newBrowser(t)
	api.header.Set("Origin", e.issuer(""))
	tok := "guessed-token"
	r := api.postJSON(e.issuer("")+"/recover/api/reset", gen.PasswordResetRequest{Token: &tok, NewPassword: newPassword})
	assertLimited(t, "API reset with the token", r)
}
