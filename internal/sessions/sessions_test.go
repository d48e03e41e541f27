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

func TestStepUp(t *testing.T) {
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
	m := &sessions.Manager{Idle: time.Hour, Absolute: 24 * time.Hour, Now: func() time.Time { return now }}
	sc := sessions.Scope{TenantID: ten.ID, Store: st, Path: "/", Name: sessions.CookieName("")}
	s, err := m.Create(ctx, httptest.NewRecorder(), httptest.NewRequest("POST", "/login", nil), sc, u.ID, []string{"pwd"}, "urn:gatehouse:acr:pwd")
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
