package accounts_test

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

const resetURL = "https://id.example.org/recover/reset"

var resetTokenRe = regexp.MustCompile(`/recover/reset\?token=(\S+)`)

func (f *fixture) user(t *testing.T, email string, verified bool) *identity.User {
	t.Helper()
	u := &identity.User{Email: email, EmailVerified: verified}
	p := pw
	if err := f.svc.Directory.CreateUser(t.Context(), f.tg.Scope, u, &p); err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) recover(t *testing.T, email string) {
	t.Helper()
	if err := f.svc.Recover(t.Context(), f.tg, accounts.Recovery{Email: email, ResetURL: resetURL, Lang: "en"}); err != nil {
		t.Fatalf("recover %s: %v", email, err)
	}
}

func (f *fixture) lastToken(t *testing.T) string {
	t.Helper()
	m := resetTokenRe.FindAllStringSubmatch(f.console.String(), -1)
	if m == nil {
		t.Fatalf("no reset link on the console:\n%s", f.console.String())
	}
	tok, err := url.QueryUnescape(m[len(m)-1][1])
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func mails(f *fixture) int { return strings.Count(f.console.String(), "NOT SENT") }

func TestRecoverMailsOnlyVerifiedAddresses(t *testing.T) {
	f := newFixture(t)
	f.user(t, "verified@example.com", true)
	f.user(t, "unverified@example.com", false)
	for _, addr := range []string{"unverified@example.com", "nobody@example.com", "not an address"} {
		f.recover(t, addr)
	}
	if n := mails(f); n != 0 {
		t.Fatalf("%d mails to unknown or unverified addresses:\n%s", n, f.console.String())
	}
	f.recover(t, " Verified@Example.com ")
	out := f.console.String()
	if mails(f) != 1 || !strings.Contains(out, "To: <verified@example.com>") || !strings.Contains(out, resetURL+"?token=") {
		t.Fatalf("reset mail:\n%s", out)
	}
	f.lastCode(t)
	// Within the cool-down, nothing more.
	f.recover(t, "verified@example.com")
	if mails(f) != 1 {
		t.Error("a second mail within the cool-down")
	}
}

func TestResetByCode(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	u := f.user(t, "jane@example.com", true)
	f.recover(t, "jane@example.com")
	code := f.lastCode(t)
	proof := accounts.ResetProof{Email: "jane@example.com", Code: code}

	// Checking uses nothing up; a refused password neither.
	if _, err := f.svc.CheckReset(ctx, f.tg, proof); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Reset(ctx, f.tg, accounts.PasswordReset{Proof: proof, NewPassword: "short"})
	var ve *identity.ValidationError
	if !errors.As(err, &ve) || ve.Errors[0].Field != "/password" {
		t.Fatalf("weak password: %v", err)
	}
	revoked := ""
	const newPW = "another long and unguessable passphrase"
	rt, err := f.svc.Reset(ctx, f.tg, accounts.PasswordReset{Proof: proof, NewPassword: newPW,
		Revoke: func(_ context.Context, id string) error { revoked = id; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if rt.User.ID != u.ID || revoked != u.ID {
		t.Errorf("reset %s, revoked %q, want %s", rt.User.ID, revoked, u.ID)
	}
	for pwd, want := range map[string]bool{pw: false, newPW: true} {
		if ok, err := f.svc.Directory.VerifyPassword(ctx, f.tg.Scope, u.ID, pwd); err != nil || ok != want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pwd, ok, err, want)
		}
	}
	if !strings.Contains(f.console.String(), "password was changed") {
		t.Errorf("no notice:\n%s", f.console.String())
	}
	// Single use, and the link of the same mail died with it.
	if _, err := f.svc.CheckReset(ctx, f.tg, proof); !errors.Is(err, accounts.ErrInvalidCode) {
		t.Errorf("used code: %v", err)
	}
	if _, err := f.svc.CheckReset(ctx, f.tg, accounts.ResetProof{Token: f.lastToken(t)}); !errors.Is(err, accounts.ErrInvalidLink) {
		t.Errorf("link after a reset by code: %v", err)
	}
}

func TestResetExpiry(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.user(t, "late@example.com", true)
	f.recover(t, "late@example.com")
	code, token := f.lastCode(t), f.lastToken(t)
	f.clock.Advance(10*time.Minute + time.Second) // the fixture's CodeTTL
	if _, err := f.svc.CheckReset(ctx, f.tg, accounts.ResetProof{Email: "late@example.com", Code: code}); !errors.Is(err, accounts.ErrInvalidCode) {
		t.Errorf("expired code: %v", err)
	}
	if _, err := f.svc.CheckReset(ctx, f.tg, accounts.ResetProof{Token: token}); err != nil {
		t.Errorf("link within the hour: %v", err)
	}
	f.clock.Advance(accounts.DefaultConfig.ResetLinkTTL)
	if _, err := f.svc.CheckReset(ctx, f.tg, accounts.ResetProof{Token: token}); !errors.Is(err, accounts.ErrInvalidLink) {
		t.Errorf("expired link: %v", err)
	}
}

func TestResetCodesAreHashedAndApartFromVerification(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	u := f.user(t, "h@example.com", true)
	f.recover(t, "h@example.com")
	code, token := f.lastCode(t), f.lastToken(t)
	v, err := f.st.Verifications().Latest(ctx, f.tg.Scope.Tenant.ID, u.ID, accounts.PurposeReset, store.VerificationCode)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(v.Hash, []byte(code)) || len(v.Hash) < 32 {
		t.Errorf("the code is not stored hashed: %x", v.Hash)
	}
	// A reset code or link does not verify an address.
	if _, err := f.svc.VerifyCode(ctx, f.tg, "h@example.com", code); !errors.Is(err, accounts.ErrInvalidCode) {
		t.Errorf("reset code verified the address: %v", err)
	}
	if _, err := f.svc.VerifyLink(ctx, f.tg, token); !errors.Is(err, accounts.ErrInvalidLink) {
		t.Errorf("reset link verified the address: %v", err)
	}
}

func TestResetCodeDiesAfterMaxAttempts(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.user(t, "typo@example.com", true)
	f.recover(t, "typo@example.com")
	code := f.lastCode(t)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for range 5 {
		if _, err := f.svc.CheckReset(ctx, f.tg, accounts.ResetProof{Email: "typo@example.com", Code: wrong}); !errors.Is(err, accounts.ErrInvalidCode) {
			t.Fatalf("wrong code: %v", err)
		}
	}
	if _, err := f.svc.CheckReset(ctx, f.tg, accounts.ResetProof{Email: "typo@example.com", Code: code}); !errors.Is(err, accounts.ErrInvalidCode) {
		t.Fatalf("right code after 5 wrong ones: %v", err)
	}
}

// Concurrent recoveries (and resends) of one address mail once: the
// cool-down check and the new code are one atomic step in the store.
func TestConcurrentRequestsMailOnce(t *testing.T) {
	const n = 16
	for _, c := range []struct {
		name string
		ask  func(f *fixture, u *identity.User) error
	}{
		{"recover", func(f *fixture, u *identity.User) error {
			return f.svc.Recover(t.Context(), f.tg, accounts.Recovery{Email: u.Email, ResetURL: resetURL, Lang: "en"})
		}},
		{"resend", func(f *fixture, u *identity.User) error {
			return f.svc.Resend(t.Context(), f.tg, u.Email, "", "en")
		}},
		{"email change", func(f *fixture, u *identity.User) error {
			err := f.svc.StartEmailChange(t.Context(), f.tg, u, "next@example.com", "en")
			if _, soon := errors.AsType[*accounts.ErrTooSoon](err); soon {
				return nil
			}
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			u := f.user(t, "many@example.com", c.name != "resend")
			var wg sync.WaitGroup
			start := make(chan struct{})
			for range n {
				wg.Go(func() {
					<-start
					if err := c.ask(f, u); err != nil {
						t.Error(err)
					}
				})
			}
			close(start)
			wg.Wait()
			if got := mails(f); got != 1 {
				t.Errorf("%d concurrent requests mailed %d times, want once", n, got)
			}
		})
	}
}
