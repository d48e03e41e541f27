package mfa_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
)

// codeAt is what an authenticator app shows at t.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	must(t, err)
	return c
}

// enrolTOTP enrols a TOTP factor and returns its secret.
func (f *fixture) enrolTOTP(t *testing.T) (string, *factor.Factor) {
	t.Helper()
	ctx := t.Context()
	en, err := f.svc.BeginTOTP(ctx, f.tg, f.user)
	must(t, err)
	fac, err := f.svc.ConfirmTOTP(ctx, f.tg, f.user, en.ID, codeAt(t, en.Secret, f.clock.Now()), "Phone")
	must(t, err)
	f.noticeMail(t)
	return en.Secret, fac
}

func TestTOTPEnrolment(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	en, err := f.svc.BeginTOTP(ctx, f.tg, f.user)
	must(t, err)
	if !strings.HasPrefix(en.URL, "otpauth://totp/Acme:alex@example.com?") || !strings.Contains(en.URL, "secret="+en.Secret) {
		t.Fatalf("URL = %q", en.URL)
	}
	if !strings.Contains(string(en.QRSVG), "<svg") || !strings.Contains(string(en.QRSVG), "</svg>") {
		t.Fatalf("QR is not an SVG: %.80s", en.QRSVG)
	}
	// Nothing is stored as a factor before confirmation.
	if ok, err := f.svc.HasFactor(ctx, f.tg, f.user.ID); err != nil || ok {
		t.Fatalf("HasFactor before confirmation = %v, %v", ok, err)
	}
	_, err = f.svc.ConfirmTOTP(ctx, f.tg, f.user, en.ID, "000000", "Phone")
	if !errors.Is(err, mfa.ErrInvalidCode) {
		t.Fatalf("wrong code: err = %v, want ErrInvalidCode", err)
	}
	fac, err := f.svc.ConfirmTOTP(ctx, f.tg, f.user, en.ID, codeAt(t, en.Secret, f.clock.Now()), " Phone ")
	must(t, err)
	if fac.Type != factor.TOTP || fac.Name != "Phone" || fac.Data != nil {
		t.Fatalf("factor = %+v", fac)
	}
	f.noticeMail(t)
	if e := f.rec.Last(t); e.Type != events.MFAAdded || e.UserID != f.user.ID || e.Data["factor_type"] != "totp" {
		t.Fatalf("event = %+v", e)
	}
	// The enrolment is used up.
	_, err = f.svc.ConfirmTOTP(ctx, f.tg, f.user, en.ID, codeAt(t, en.Secret, f.clock.Now()), "Again")
	if !errors.Is(err, mfa.ErrChallengeDead) {
		t.Fatalf("second confirmation: err = %v, want ErrChallengeDead", err)
	}
	// The stored secret is sealed: the base32 secret is not in the row.
	row, err := f.st.MFA().GetFactor(ctx, f.tg.Tenant.ID, f.user.ID, fac.ID)
	must(t, err)
	if strings.Contains(string(row.Data), en.Secret) {
		t.Fatal("the TOTP secret is stored in the clear")
	}
	list, err := f.svc.Factors(ctx, f.tg, f.user.ID)
	must(t, err)
	if len(list) != 1 || list[0].Data != nil {
		t.Fatalf("Factors = %+v", list)
	}
}

func TestTOTPEnrolmentExpires(t *testing.T) {
	f := newFixture(t)
	en, err := f.svc.BeginTOTP(t.Context(), f.tg, f.user)
	must(t, err)
	f.clock.Advance(11 * time.Minute)
	_, err = f.svc.ConfirmTOTP(t.Context(), f.tg, f.user, en.ID, codeAt(t, en.Secret, f.clock.Now()), "")
	if !errors.Is(err, mfa.ErrChallengeDead) {
		t.Fatalf("err = %v, want ErrChallengeDead", err)
	}
}

func TestTOTPReplayAndWindow(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	secret, _ := f.enrolTOTP(t)
	// The code confirmed at enrolment cannot be used again.
	_, err := f.svc.VerifyCode(ctx, f.tg, f.user, codeAt(t, secret, f.clock.Now()))
	if !errors.Is(err, mfa.ErrReplay) {
		t.Fatalf("enrolment code reused: err = %v, want ErrReplay", err)
	}
	f.clock.Advance(10 * time.Minute)
	now := f.clock.Now()
	steps := []struct {
		name   string
		offset time.Duration
		want   error
	}{
		{"60 s early is refused", -60 * time.Second, mfa.ErrInvalidCode},
		{"60 s late is refused", 60 * time.Second, mfa.ErrInvalidCode},
		{"30 s early is accepted", -30 * time.Second, nil},
		{"the same code again is a replay", -30 * time.Second, mfa.ErrReplay},
		{"the current code is accepted", 0, nil},
		{"30 s late is accepted", 30 * time.Second, nil},
		{"an older step after a newer one is a replay", 0, mfa.ErrReplay},
	}
	for _, s := range steps {
		res, err := f.svc.VerifyCode(ctx, f.tg, f.user, codeAt(t, secret, now.Add(s.offset)))
		if !errors.Is(err, s.want) {
			t.Fatalf("%s: err = %v, want %v", s.name, err, s.want)
		}
		if err == nil && (res.UserID != f.user.ID || res.Factor == nil || res.Factor.LastUsedAt == nil || strings.Join(res.AMR, ",") != "otp") {
			t.Fatalf("%s: result %+v", s.name, res)
		}
	}
}

// The same code sent many times at once is accepted once.
func TestTOTPConcurrentUseSucceedsOnce(t *testing.T) {
	f := newFixture(t)
	secret, _ := f.enrolTOTP(t)
	f.clock.Advance(time.Minute)
	code := codeAt(t, secret, f.clock.Now())
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = f.svc.VerifyCode(t.Context(), f.tg, f.user, code) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, mfa.ErrReplay):
			t.Fatalf("unexpected error %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d concurrent uses succeeded, want 1", ok, n)
	}
}

func TestTOTPChallenge(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	_, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.TOTP, "en")
	if !errors.Is(err, mfa.ErrNotAllowed) {
		t.Fatalf("TOTP challenge without a TOTP factor: err = %v, want ErrNotAllowed", err)
	}
	secret, _ := f.enrolTOTP(t)
	f.clock.Advance(time.Minute)
	ch, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.TOTP, "en")
	must(t, err)
	if _, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{Code: "123"}); !errors.Is(err, mfa.ErrInvalidCode) {
		t.Fatalf("wrong code: %v", err)
	}
	res, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{Code: codeAt(t, secret, f.clock.Now())})
	must(t, err)
	if res.UserID != f.user.ID {
		t.Fatalf("result %+v", res)
	}
	if _, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{Code: "000000"}); !errors.Is(err, mfa.ErrChallengeDead) {
		t.Fatalf("answer to a used challenge: %v, want ErrChallengeDead", err)
	}
	if _, err := f.svc.Verify(ctx, f.tg, "nope", mfa.Answer{Code: "000000"}); !errors.Is(err, mfa.ErrUnknownChallenge) {
		t.Fatalf("unknown challenge: %v", err)
	}
}

// A target with FactorsUntil (a risk challenge) sees only the factors
// created by then: a younger authenticator app is not listed, cannot be
// challenged, and its code answers no challenge, not even one started
// before the cut-off was set; the older app still answers.
func TestFactorsUntilHidesYoungerFactors(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	old, _ := f.enrolTOTP(t)
	f.clock.Advance(time.Minute)
	cut := f.tg
	cut.FactorsUntil = f.clock.Now()
	f.clock.Advance(time.Minute)
	young, _ := f.enrolTOTP(t)
	f.clock.Advance(time.Minute)

	fs, err := f.svc.Factors(ctx, cut, f.user.ID)
	must(t, err)
	if len(fs) != 1 {
		t.Fatalf("factors until the cut-off: %+v", fs)
	}
	ch, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.TOTP, "en")
	must(t, err)
	if _, err := f.svc.Verify(ctx, cut, ch.ID, mfa.Answer{Code: codeAt(t, young, f.clock.Now())}); !errors.Is(err, mfa.ErrInvalidCode) {
		t.Fatalf("the younger app's code: %v, want ErrInvalidCode", err)
	}
	res, err := f.svc.Verify(ctx, cut, ch.ID, mfa.Answer{Code: codeAt(t, old, f.clock.Now())})
	must(t, err)
	if res.Factor == nil || !res.Factor.CreatedAt.Before(cut.FactorsUntil) {
		t.Fatalf("answered by %+v", res.Factor)
	}
	// With only the younger factor left, nothing can be challenged.
	must(t, f.svc.RemoveFactor(ctx, f.tg, f.user.ID, res.Factor.ID, ""))
	f.noticeMail(t)
	if has, err := f.svc.HasFactor(ctx, cut, f.user.ID); err != nil || has {
		t.Fatalf("HasFactor until the cut-off: %v %v", has, err)
	}
	if _, err := f.svc.BeginChallenge(ctx, cut, f.user, factor.TOTP, "en"); !errors.Is(err, mfa.ErrNotAllowed) {
		t.Fatalf("challenge of the younger app: %v, want ErrNotAllowed", err)
	}
}
