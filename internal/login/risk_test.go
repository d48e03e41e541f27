package login_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/events"
)

// breachedPassword is on the embedded breached list; the admin API
// refuses it, so the test writes its hash to the store, as a password
// set before the list caught up with it.
const breachedPassword = "password123"

func (s *simEnv) setBreachedPassword(userID string) {
	s.t.Helper()
	ctx := context.Background()
	def, err := s.srv.App.Directory.EnsureDefaultTenant(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	hash, err := s.srv.App.Directory.Hasher.Hash(breachedPassword)
	if err != nil {
		s.t.Fatal(err)
	}
	st, err := s.srv.App.Directory.StoreForTenantID(ctx, def.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := st.Passwords().Set(ctx, def.ID, userID, hash); err != nil {
		s.t.Fatal(err)
	}
}

// A correct breached password signs in, then the user must choose a new
// one (no current password asked) before the request goes on; the login
// API sends them to that page.
func TestBreachedPasswordMustBeChanged(t *testing.T) {
	s := newSimEnv(t)
	quietRisk(t, s.srv) // several fresh clients sign the user in
	ids := s.users("breached", 1, func(int) string { return testPassword })
	s.setBreachedPassword(ids[0])
	const email = "breached-0@example.com"

	if got, err := s.agent("10.55.0.1").signIn(s, email, breachedPassword); got != outPwChange || err != nil {
		t.Fatalf("login API: %s %v, want %s", got, err, outPwChange)
	}

	b := newBrowser(t)
	b.header.Set("X-Forwarded-For", "10.55.0.1")
	a := newAuthz(s.client, "openid")
	r := b.signIn(b.startLogin(s.issuer(""), a), email, breachedPassword)
	if loc := r.location(t); loc.Path != "/login/password" {
		t.Fatalf("went to %s, want the password page", loc)
	}
	page := b.follow(r)
	if weak := b.submit(page, page.form(t, "password"), "password", "qwertyuiop"); weak.status != http.StatusUnprocessableEntity {
		t.Errorf("a breached new password: %d", weak.status)
	}
	a.callback(t, b.submit(page, page.form(t, "password"), "password", "A-much-better-secret-42"))
	if len(s.events.of(events.PasswordChanged, ids[0])) != 1 {
		t.Error("no password.changed event")
	}
	// Done once: the next sign-in with the new password goes straight on.
	if got, err := s.agent("10.55.0.1").signIn(s, email, "A-much-better-secret-42"); got != outComplete || err != nil {
		t.Errorf("after the change: %s %v", got, err)
	}
	ok := s.events.of(events.LoginSucceeded, ids[0])
	if len(ok) == 0 || ok[0].Decision != "allow" {
		t.Errorf("login.succeeded: %+v", ok)
	}
}
