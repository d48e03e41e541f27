package sessions_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
)

// newStore is a migrated SQLite store with a tenant and a user.
func newStore(t *testing.T, email string) (store.Store, *identity.Tenant, *identity.User) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ten := &identity.Tenant{Slug: "default"}
	if err := st.Tenants().Create(ctx, ten); err != nil {
		t.Fatal(err)
	}
	u := &identity.User{Email: email}
	if err := st.Users().Create(ctx, ten.ID, u); err != nil {
		t.Fatal(err)
	}
	return st, ten, u
}

// newManager is a manager on the clock *now: 1 h idle, 24 h absolute.
func newManager(now *time.Time) *sessions.Manager {
	return &sessions.Manager{Idle: time.Hour, Absolute: 24 * time.Hour, Now: func() time.Time { return *now }}
}

func TestSessionLifecycle(t *testing.T) {
	ctx := context.Background()
	st, ten, u := newStore(t, "s@example.com")
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	m := &sessions.Manager{Idle: time.Hour, Absolute: 24 * time.Hour, Secure: true, Now: func() time.Time { return now }}
	sc := sessions.Scope{TenantID: ten.ID, Store: st, Path: "/t/acme", Name: sessions.CookieName("acme")}

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/t/acme/login", nil)
	req.Header.Set("User-Agent", "test-agent")
	s, err := m.Create(ctx, rec, req, sc, sessions.Start{UserID: u.ID, AMR: []string{"pwd"}})
	if err != nil {
		t.Fatal(err)
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies: %v", cookies)
	}
	c := cookies[0]
	if c.Name != "gh_session_acme" || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/t/acme" {
		t.Fatalf("cookie flags: %+v", c)
	}
	if string(s.TokenHash) == c.Value || len(c.Value) < 40 {
		t.Fatal("the cookie must carry a random token, the store only its hash")
	}

	with := func() *http.Request {
		r := httptest.NewRequest("GET", "/t/acme/login", nil)
		r.AddCookie(c)
		return r
	}
	got, err := m.Find(ctx, with(), sc)
	if err != nil || got.ID != s.ID || got.UserAgent != "test-agent" {
		t.Fatalf("find: %v %+v", err, got)
	}
	// Activity within the idle window keeps it alive past the first hour...
	now = now.Add(50 * time.Minute)
	if _, err := m.Find(ctx, with(), sc); err != nil {
		t.Fatal(err)
	}
	now = now.Add(50 * time.Minute)
	if _, err := m.Find(ctx, with(), sc); err != nil {
		t.Fatalf("touched session expired: %v", err)
	}
	// ...but an idle hour ends it.
	now = now.Add(61 * time.Minute)
	if _, err := m.Find(ctx, with(), sc); err != sessions.ErrNoSession {
		t.Fatalf("idle session still active: %v", err)
	}

	// A fresh session ends at its absolute lifetime however active it is.
	now = now.Add(time.Minute)
	rec = httptest.NewRecorder()
	s2, err := m.Create(ctx, rec, req, sc, sessions.Start{UserID: u.ID, AMR: []string{"pwd"}})
	if err != nil {
		t.Fatal(err)
	}
	c = rec.Result().Cookies()[0]
	for now.Add(59 * time.Minute).Before(s2.ExpiresAt) {
		now = now.Add(59 * time.Minute)
		if _, err := m.Find(ctx, with(), sc); err != nil {
			t.Fatalf("active session lost before its absolute expiry: %v", err)
		}
	}
	now = s2.ExpiresAt.Add(time.Second)
	if _, err := m.Find(ctx, with(), sc); err != sessions.ErrNoSession {
		t.Fatal("session active after absolute expiry")
	}

	// End revokes and clears the cookie; a forged cookie finds nothing.
	now = now.Add(time.Minute)
	rec = httptest.NewRecorder()
	if _, err := m.Create(ctx, rec, req, sc, sessions.Start{UserID: u.ID, AMR: []string{"pwd"}}); err != nil {
		t.Fatal(err)
	}
	c = rec.Result().Cookies()[0]
	rec = httptest.NewRecorder()
	ended, err := m.End(ctx, rec, with(), sc)
	if err != nil || ended == nil {
		t.Fatalf("end: %v", err)
	}
	if cl := rec.Result().Cookies(); len(cl) != 1 || cl[0].MaxAge >= 0 {
		t.Fatalf("cookie not cleared: %v", cl)
	}
	if _, err := m.Find(ctx, with(), sc); err != sessions.ErrNoSession {
		t.Fatal("ended session still found")
	}
	forged := httptest.NewRequest("GET", "/", nil)
	forged.AddCookie(&http.Cookie{Name: sc.Name, Value: "forged"})
	if _, err := m.Find(ctx, forged, sc); err != sessions.ErrNoSession {
		t.Fatal("forged cookie accepted")
	}
}

func TestStepUp(t *testing.T) {
	ctx := context.Background()
	st, ten, u := newStore(t, "s@example.com")
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	m, sc := newManager(&now), sessions.Scope{TenantID: ten.ID, Store: st, Path: "/", Name: sessions.CookieName("")}
	s, err := m.Create(ctx, httptest.NewRecorder(), httptest.NewRequest("POST", "/login", nil), sc,
		sessions.Start{UserID: u.ID, AMR: []string{"pwd"}, ACR: "urn:gatehouse:acr:pwd"})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(10 * time.Minute)
	acrFor := func(amr []string) string { return fmt.Sprint(len(amr)) }
	up, err := m.StepUp(ctx, sc, s, []string{"otp"}, acrFor)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(up.AMR, []string{"pwd", "otp", "mfa"}) || up.ACR != "3" || !up.AuthTime.Equal(now) {
		t.Fatalf("after step-up: amr %v acr %q auth_time %v", up.AMR, up.ACR, up.AuthTime)
	}
	stored, err := st.Sessions().Get(ctx, ten.ID, s.ID)
	if err != nil || !slices.Equal(stored.AMR, up.AMR) || stored.ACR != "3" || !stored.AuthTime.Equal(now) || !stored.CreatedAt.Equal(s.CreatedAt) {
		t.Fatalf("stored: %v %+v", err, stored)
	}
	// A revoked session cannot be stepped up.
	if err := st.Sessions().Revoke(ctx, ten.ID, s.ID, now); err != nil {
		t.Fatal(err)
	}
	if _, err := m.StepUp(ctx, sc, s, []string{"hwk"}, acrFor); !errors.Is(err, sessions.ErrNoSession) {
		t.Fatalf("step-up of a revoked session: %v", err)
	}
}

// A session whose sign-in owes steps is no signed-in session: Find does
// not return it, FindPending does, and the step-up that pays the steps
// makes it one in the same update. End ends it like any other.
func TestPendingSession(t *testing.T) {
	ctx := context.Background()
	st, ten, u := newStore(t, "p@example.com")
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	m, sc := newManager(&now), sessions.Scope{TenantID: ten.ID, Store: st, Path: "/", Name: sessions.CookieName("")}
	rec := httptest.NewRecorder()
	s, err := m.Create(ctx, rec, httptest.NewRequest("POST", "/login", nil), sc, sessions.Start{
		UserID: u.ID, AMR: []string{"pwd"}, ACR: "1",
		Pending:         []oauth.Step{oauth.StepRiskChallenge, oauth.StepPasswordChange, oauth.StepRiskChallenge},
		NotifyNewDevice: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Pending, []oauth.Step{oauth.StepRiskChallenge, oauth.StepPasswordChange}) || !s.NotifyNewDevice {
		t.Fatalf("created: %+v", s)
	}
	c := rec.Result().Cookies()[0]
	with := func() *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(c)
		return r
	}
	if _, err := m.Find(ctx, with(), sc); !errors.Is(err, sessions.ErrNoSession) {
		t.Fatalf("Find returned a session that owes steps: %v", err)
	}
	got, err := m.FindPending(ctx, with(), sc)
	if err != nil || got.ID != s.ID {
		t.Fatalf("FindPending: %v %+v", err, got)
	}
	acrFor := func(amr []string) string { return fmt.Sprint(len(amr)) }
	up, err := m.StepUp(ctx, sc, got, []string{"otp"}, acrFor, oauth.StepRiskChallenge, oauth.StepSecondFactor)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(up.Pending, []oauth.Step{oauth.StepPasswordChange}) || up.NotifyNewDevice || up.ACR != "3" {
		t.Fatalf("after the step-up: %+v", up)
	}
	if _, err := m.Find(ctx, with(), sc); !errors.Is(err, sessions.ErrNoSession) {
		t.Fatal("Find returned a session that still owes the password change")
	}
	if up, err = m.Pay(ctx, sc, up, oauth.StepPasswordChange); err != nil || !up.SignedIn() {
		t.Fatalf("Pay: %v %+v", err, up)
	}
	if got, err := m.Find(ctx, with(), sc); err != nil || got.ID != s.ID || !got.SignedIn() {
		t.Fatalf("Find after paying: %v %+v", err, got)
	}

	// A pending session is ended by End, too.
	rec = httptest.NewRecorder()
	if _, err := m.Create(ctx, rec, httptest.NewRequest("POST", "/login", nil), sc,
		sessions.Start{UserID: u.ID, AMR: []string{"pwd"}, Pending: []oauth.Step{oauth.StepSecondFactor}}); err != nil {
		t.Fatal(err)
	}
	c = rec.Result().Cookies()[0]
	if ended, err := m.End(ctx, httptest.NewRecorder(), with(), sc); err != nil || ended == nil {
		t.Fatalf("End of a pending session: %v %v", ended, err)
	}
	if _, err := m.FindPending(ctx, with(), sc); !errors.Is(err, sessions.ErrNoSession) {
		t.Fatal("ended pending session still found")
	}
	// The new-device notice is held only for a risk challenge.
	if s, err := m.Create(ctx, httptest.NewRecorder(), httptest.NewRequest("POST", "/login", nil), sc,
		sessions.Start{UserID: u.ID, NotifyNewDevice: true}); err != nil || s.NotifyNewDevice || !s.SignedIn() {
		t.Fatalf("notice without a challenge: %v %+v", err, s)
	}
}

func TestMergeAMR(t *testing.T) {
	for _, c := range []struct{ have, add, want []string }{
		{[]string{"pwd"}, []string{"otp"}, []string{"pwd", "otp", "mfa"}},
		{[]string{"pwd", "otp", "mfa"}, []string{"otp"}, []string{"pwd", "otp", "mfa"}},
		{nil, []string{"swk", "user"}, []string{"swk", "user", "mfa"}},
		{nil, []string{"hwk"}, []string{"hwk"}},
		{[]string{"pwd"}, nil, []string{"pwd"}},
	} {
		if got := sessions.MergeAMR(c.have, c.add); !slices.Equal(got, c.want) {
			t.Errorf("MergeAMR(%v, %v) = %v, want %v", c.have, c.add, got, c.want)
		}
	}
}
