package sessions_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
)

func TestSessionLifecycle(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ten := &identity.Tenant{Slug: "default"}
	if err := st.Tenants().Create(ctx, ten); err != nil {
		t.Fatal(err)
	}
	u := &identity.User{Email: "s@example.com"}
	if err := st.Users().Create(ctx, ten.ID, u); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	m := &sessions.Manager{Idle: time.Hour, Absolute: 24 * time.Hour, Secure: true, Now: func() time.Time { return now }}
	sc := sessions.Scope{TenantID: ten.ID, Store: st, Path: "/t/acme", Name: sessions.CookieName("acme")}

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/t/acme/login", nil)
	req.Header.Set("User-Agent", "test-agent")
	s, err := m.Create(ctx, rec, req, sc, u.ID, []string{"pwd"}, "")
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
	s2, err := m.Create(ctx, rec, req, sc, u.ID, []string{"pwd"}, "")
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
	if _, err := m.Create(ctx, rec, req, sc, u.ID, []string{"pwd"}, ""); err != nil {
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
