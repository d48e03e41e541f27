package accounts_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

var changeCodeRe = regexp.MustCompile(`verification code: ([0-9]{6})`)

func (f *fixture) changeUser(t *testing.T, email string) *identity.User {
	t.Helper()
	u := &identity.User{Email: email}
	p := pw
	if err := f.svc.Directory.CreateUser(t.Context(), f.tg.Scope, u, &p); err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) lastChangeCode(t *testing.T) string {
	t.Helper()
	m := changeCodeRe.FindAllStringSubmatch(f.console.String(), -1)
	if m == nil {
		t.Fatalf("no code on the console:\n%s", f.console.String())
	}
	return m[len(m)-1][1]
}

func TestEmailChangeCodeExpires(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	u := f.changeUser(t, "old@example.com")
	if err := f.svc.StartEmailChange(ctx, f.tg, u, "new@example.com", "en"); err != nil {
		t.Fatal(err)
	}
	code := f.lastChangeCode(t)
	f.clock.Advance(10*time.Minute + time.Second) // the fixture's CodeTTL
	if _, err := f.svc.ConfirmEmailChange(ctx, f.tg, u.ID, code, "en"); !errors.Is(err, accounts.ErrInvalidCode) {
		t.Fatalf("expired code: err = %v", err)
	}
	got, err := f.st.Users().Get(ctx, f.tg.Scope.Tenant.ID, u.ID)
	if err != nil || got.Email != "old@example.com" {
		t.Fatalf("address changed: %v %v", got, err)
	}
}

func TestEmailChangeAttemptsAreLimited(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	u := f.changeUser(t, "old@example.com")
	if err := f.svc.StartEmailChange(ctx, f.tg, u, "new@example.com", "en"); err != nil {
		t.Fatal(err)
	}
	code := f.lastChangeCode(t)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for range accounts.DefaultConfig.MaxAttempts {
		if _, err := f.svc.ConfirmEmailChange(ctx, f.tg, u.ID, wrong, "en"); !errors.Is(err, accounts.ErrInvalidCode) {
			t.Fatalf("wrong code: err = %v", err)
		}
	}
	if _, err := f.svc.ConfirmEmailChange(ctx, f.tg, u.ID, code, "en"); !errors.Is(err, accounts.ErrInvalidCode) {
		t.Fatalf("right code after the attempts ran out: err = %v", err)
	}
	// After the cool-down a new code works.
	var soon *accounts.ErrTooSoon
	if err := f.svc.StartEmailChange(ctx, f.tg, u, "new@example.com", "en"); !errors.As(err, &soon) {
		t.Fatalf("within the cool-down: err = %v", err)
	}
	f.clock.Advance(time.Minute)
	if err := f.svc.StartEmailChange(ctx, f.tg, u, "new@example.com", "en"); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.ConfirmEmailChange(ctx, f.tg, u.ID, f.lastChangeCode(t), "en")
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != "new@example.com" || !got.EmailVerified {
		t.Fatalf("user %+v", got)
	}
}
