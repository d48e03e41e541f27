package oidc_test

import (
	"testing"

	"golang.org/x/oauth2"
)

// TestBackchannelLogoutAnotherUserSameBrowser: when another user signs in
// in the same browser, the first user's session ends, and the clients
// that had tokens in it get a logout token as for any other session end;
// the new session's sid is never named.
func TestBackchannelLogoutAnotherUserSameBrowser(t *testing.T) {
	t.Parallel()
	logoutEngines(t, func(t *testing.T, o *op) {
		rp := newLogoutRP(t, 0)
		c := o.userClient(t, "", map[string]any{"backchannel_logout_uri": rp.URL + "/bcl"})
		r := o.relyingParty(t, c, "", "openid")
		b := o.newBrowser(t)
		sidOf := func(u *user, opts ...oauth2.AuthCodeOption) string {
			t.Helper()
			l := newLogin()
			tok := r.exchange(t, r.code(t, b, u, "", l, opts...), l)
			_, claims := r.idToken(t, tok, l.Nonce)
			return claims["sid"].(string)
		}
		alice, bob := o.createUser(t, ""), o.createUser(t, "")
		first := sidOf(alice)
		second := sidOf(bob, oauth2.SetAuthURLParam("prompt", "login"))
		if first == second {
			t.Fatalf("bob got alice's session %s", first)
		}
		raw, _ := rp.delivered(t, first)
		wantLogoutToken(t, o.issuer(""), raw, c.ID, first, alice.ID)
		for _, p := range rp.all() {
			if claimsOf(t, p.Token)["sid"] == second {
				t.Errorf("the new session was logged out: %+v", p)
			}
		}
	})
}
