package login_test

import (
	"testing"
)

// The password change a breached password requires goes on with the
// authorization request, so its form may end at the client: the page's
// form-action allows the client's origin, as the sign-in page's does
// (Chromium applies form-action to the redirect; see
// TestBrowserVerifyByLinkReachesTheClient for the same hop in a browser).
func TestPasswordChangePageAllowsTheClient(t *testing.T) {
	s := newSimEnv(t)
	quietRisk(t, s.srv)
	ids := s.users("breached", 1, func(int) string { return testPassword })
	s.setBreachedPassword(ids[0])
	b := newBrowser(t)
	b.header.Set("X-Forwarded-For", "10.55.0.2")
	a := newAuthz(s.client, "openid")
	page := b.follow(b.signIn(b.startLogin(s.issuer(""), a), "breached-0@example.com", breachedPassword))
	if page.url.Path != "/login/password" {
		t.Fatalf("at %s, want the password page", page.url)
	}
	assertPageHeaders(t, page, s.client.redirectURI)
	a.callback(t, b.submit(page, page.form(t, "password"), "password", "A-much-better-secret-42"))
}
