package mfa_test

import (
	"crypto/hmac"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

var recoveryRe = regexp.MustCompile(`^[a-z2-9]{5}-[a-z2-9]{5}$`)

func TestRecoveryCodes(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	codes, err := f.svc.GenerateRecoveryCodes(ctx, f.tg, f.user)
	must(t, err)
	f.noticeMail(t)
	if len(codes) != mfa.RecoveryCodes {
		t.Fatalf("%d codes, want %d", len(codes), mfa.RecoveryCodes)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if !recoveryRe.MatchString(c) || seen[c] {
			t.Fatalf("bad or repeated code %q", c)
		}
		seen[c] = true
	}
	// Stored hashed only.
	fs, err := f.st.MFA().ListFactors(ctx, f.tg.Tenant.ID, f.user.ID)
	must(t, err)
	if len(fs) != 1 || strings.Contains(string(fs[0].Data), strings.ReplaceAll(codes[0], "-", "")) {
		t.Fatalf("stored set %+v", fs)
	}
	// Recovery codes alone are no second factor.
	if ok, err := f.svc.HasFactor(ctx, f.tg, f.user.ID); err != nil || ok {
		t.Fatalf("HasFactor with only recovery codes = %v, %v", ok, err)
	}

	// A code works once, typed with or without the dash, in any case.
	res, err := f.svc.VerifyCode(ctx, f.tg, f.user, strings.ToUpper(strings.ReplaceAll(codes[3], "-", " ")))
	must(t, err)
	if res.Factor == nil || res.Factor.Type != factor.Recovery || strings.Join(res.AMR, ",") != "otp" {
		t.Fatalf("result %+v", res)
	}
	m := f.noticeMail(t)
	if !strings.Contains(m.Text, "Alex") {
		t.Fatalf("notice does not greet the user:\n%s", m.Text)
	}
	if e := f.rec.Last(t); e.Type != events.MFAChallengeUsed || e.Data["codes_left"] != 9 {
		t.Fatalf("event %+v", e)
	}
	if _, err := f.svc.VerifyCode(ctx, f.tg, f.user, codes[3]); !errors.Is(err, mfa.ErrReplay) {
		t.Fatalf("reused code: err = %v, want ErrReplay", err)
	}
	if _, err := f.svc.VerifyCode(ctx, f.tg, f.user, "aaaaa-aaaaa"); !errors.Is(err, mfa.ErrInvalidCode) {
		t.Fatalf("unknown code: err = %v, want ErrInvalidCode", err)
	}
	left, err := f.svc.RecoveryCodesLeft(ctx, f.tg, f.user.ID)
	must(t, err)
	if left != 9 {
		t.Fatalf("%d codes left, want 9", left)
	}

	// Another code sent many times at once is accepted once.
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = f.svc.VerifyCode(ctx, f.tg, f.user, codes[5]) })
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
	f.noticeMail(t)

	// Regenerating replaces the set: old codes stop working.
	fresh, err := f.svc.GenerateRecoveryCodes(ctx, f.tg, f.user)
	must(t, err)
	f.noticeMail(t)
	if _, err := f.svc.VerifyCode(ctx, f.tg, f.user, codes[0]); !errors.Is(err, mfa.ErrInvalidCode) {
		t.Fatalf("old code after regeneration: err = %v", err)
	}
	_, err = f.svc.VerifyCode(ctx, f.tg, f.user, fresh[0])
	must(t, err)
}

var mailCodeRe = regexp.MustCompile(`\b([0-9]{6})\b`)

func allowEmail(p *identity.MFAPolicy) { p.AllowEmailOTP = true }

func TestEmailOTP(t *testing.T) {
	f := newFixture(t, allowEmail)
	ctx := t.Context()
	ch, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.EmailOTP, "de")
	must(t, err)
	if ch.Masked != "a***@example.com" || ch.Kind != factor.EmailOTP || !ch.ExpiresAt.Equal(f.clock.Now().Add(5*time.Minute)) {
		t.Fatalf("challenge %+v", ch)
	}
	// The challenge says again where its code went (the page after a wrong
	// code), and only to its user.
	if got, err := f.svc.Challenge(ctx, f.tg, f.user.ID, ch.ID); err != nil || got.Masked != ch.Masked || got.Kind != factor.EmailOTP {
		t.Fatalf("Challenge: %v %+v", err, got)
	}
	if _, err := f.svc.Challenge(ctx, f.tg, "someone-else", ch.ID); !errors.Is(err, mfa.ErrUnknownChallenge) {
		t.Fatalf("another user's challenge: %v", err)
	}
	m := f.smtp.WaitFor(t, f.user.Email, wait)
	if !strings.Contains(m.Subject, "Anmeldecode") {
		t.Fatalf("subject %q, want the German code mail", m.Subject)
	}
	code := mailCodeRe.FindStringSubmatch(m.Text)[1]
	res, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{Code: code})
	must(t, err)
	if res.UserID != f.user.ID || res.Factor != nil || strings.Join(res.AMR, ",") != "otp" {
		t.Fatalf("result %+v", res)
	}
	if _, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{Code: code}); !errors.Is(err, mfa.ErrChallengeDead) {
		t.Fatalf("code reused: err = %v, want ErrChallengeDead", err)
	}
}

func TestEmailOTPDiesAfterFiveWrongCodes(t *testing.T) {
	f := newFixture(t, allowEmail)
	ctx := t.Context()
	ch, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.EmailOTP, "")
	must(t, err)
	code := mailCodeRe.FindStringSubmatch(f.smtp.WaitFor(t, f.user.Email, wait).Text)[1]
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := range mfa.MaxAttempts {
		if _, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{Code: wrong}); !errors.Is(err, mfa.ErrInvalidCode) {
			t.Fatalf("wrong code %d: err = %v, want ErrInvalidCode", i+1, err)
		}
	}
	if _, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{Code: code}); !errors.Is(err, mfa.ErrChallengeDead) {
		t.Fatalf("right code after 5 wrong: err = %v, want ErrChallengeDead", err)
	}
}

func TestEmailOTPExpires(t *testing.T) {
	f := newFixture(t, allowEmail)
	ch, err := f.svc.BeginChallenge(t.Context(), f.tg, f.user, factor.EmailOTP, "")
	must(t, err)
	code := mailCodeRe.FindStringSubmatch(f.smtp.WaitFor(t, f.user.Email, wait).Text)[1]
	f.clock.Advance(5 * time.Minute)
	if _, err := f.svc.Verify(t.Context(), f.tg, ch.ID, mfa.Answer{Code: code}); !errors.Is(err, mfa.ErrChallengeDead) {
		t.Fatalf("expired: err = %v, want ErrChallengeDead", err)
	}
}

func TestEmailOTPNeedsPolicyAndVerifiedEmail(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.BeginChallenge(t.Context(), f.tg, f.user, factor.EmailOTP, ""); !errors.Is(err, mfa.ErrNotAllowed) {
		t.Fatalf("tenant without email OTP: err = %v", err)
	}
	f = newFixture(t, allowEmail)
	f.user.EmailVerified = false
	if _, err := f.svc.BeginChallenge(t.Context(), f.tg, f.user, factor.EmailOTP, ""); !errors.Is(err, mfa.ErrNotAllowed) {
		t.Fatalf("unverified email: err = %v", err)
	}
}

func TestChallengesAreRateLimitedPerUser(t *testing.T) {
	f := newFixture(t, allowEmail)
	f.svc.Limiter = ratelimit.NewMemory(f.clock.Now)
	f.svc.ChallengeLimit = ratelimit.Limit{Rate: 2, Per: time.Hour}
	ctx := t.Context()
	for range 2 {
		_, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.EmailOTP, "")
		must(t, err)
	}
	if _, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.EmailOTP, ""); !errors.Is(err, mfa.ErrRateLimited) {
		t.Fatalf("third challenge: err = %v, want ErrRateLimited", err)
	}
	if _, err := f.svc.VerifyCode(ctx, f.tg, f.user, "123456"); !errors.Is(err, mfa.ErrRateLimited) {
		t.Fatalf("code check over the limit: err = %v, want ErrRateLimited", err)
	}
}

func TestSMSWebhook(t *testing.T) {
	type hit struct {
		body               []byte
		sig, ts, mediaType string
	}
	hits := make(chan hit, 1)
	status := http.StatusNoContent
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hits <- hit{b, r.Header.Get(mfa.HeaderSMSSignature), r.Header.Get(mfa.HeaderSMSTimestamp), r.Header.Get("Content-Type")}
		w.WriteHeader(status)
	}))
	t.Cleanup(hook.Close)
	f := newFixture(t, func(p *identity.MFAPolicy) { p.AllowSMS, p.SMSWebhookURL = true, hook.URL })
	ctx := t.Context()

	ch, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.SMS, "")
	must(t, err)
	if ch.Masked != "+49*********78" {
		t.Fatalf("masked %q", ch.Masked)
	}
	h := <-hits
	var got struct{ To, Code, Tenant string }
	must(t, json.Unmarshal(h.body, &got))
	if got.To != "+4915112345678" || got.Tenant != "acme" || len(got.Code) != 6 || h.mediaType != "application/json" {
		t.Fatalf("webhook got %s (%s)", h.body, h.mediaType)
	}
	ts, err := strconv.ParseInt(h.ts, 10, 64)
	must(t, err)
	if ts != f.clock.Now().Unix() {
		t.Fatalf("timestamp %d", ts)
	}
	want := mfa.SignSMS(f.svc.SMSWebhookSecret(f.tg.Tenant.ID), ts, h.body)
	if !hmac.Equal([]byte(h.sig), []byte(want)) || !strings.HasPrefix(h.sig, "sha256=") {
		t.Fatalf("signature %q, want %q", h.sig, want)
	}
	if mfa.SignSMS("other secret", ts, h.body) == h.sig {
		t.Fatal("the signature does not depend on the secret")
	}
	res, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{Code: got.Code})
	must(t, err)
	if strings.Join(res.AMR, ",") != "otp,sms" {
		t.Fatalf("AMR %v", res.AMR)
	}

	// A failing webhook is an error, not a silent success.
	status = http.StatusBadGateway
	if _, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.SMS, ""); err == nil {
		t.Fatal("a 502 from the webhook was taken as sent")
	}
	<-hits
}

func TestSMSIsOffByDefault(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.BeginChallenge(t.Context(), f.tg, f.user, factor.SMS, ""); !errors.Is(err, mfa.ErrNotAllowed) {
		t.Fatalf("err = %v, want ErrNotAllowed", err)
	}
	if _, err := f.svc.AddSMS(t.Context(), f.tg, f.user, "+4915112345678"); !errors.Is(err, mfa.ErrNotAllowed) {
		t.Fatalf("AddSMS: err = %v, want ErrNotAllowed", err)
	}
}

func TestAddSMSIsWeak(t *testing.T) {
	f := newFixture(t, func(p *identity.MFAPolicy) { p.AllowSMS = true })
	if _, err := f.svc.AddSMS(t.Context(), f.tg, f.user, "0151 123"); !errors.Is(err, mfa.ErrInvalid) {
		t.Fatalf("bad number: err = %v, want ErrInvalid", err)
	}
	fac, err := f.svc.AddSMS(t.Context(), f.tg, f.user, "+4915199999999")
	must(t, err)
	if !fac.Weak || fac.Type != factor.SMS {
		t.Fatalf("factor %+v", fac)
	}
	f.noticeMail(t)
}

func TestRemoveRenameReset(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	_, totpF := f.enrolTOTP(t)
	_, err := f.svc.GenerateRecoveryCodes(ctx, f.tg, f.user)
	must(t, err)
	f.noticeMail(t)

	r, err := f.svc.RenameFactor(ctx, f.tg, f.user.ID, totpF.ID, "Work phone")
	must(t, err)
	if r.Name != "Work phone" || r.Data != nil {
		t.Fatalf("renamed %+v", r)
	}
	if _, err := f.svc.RenameFactor(ctx, f.tg, f.user.ID, totpF.ID, strings.Repeat("x", 65)); !errors.Is(err, mfa.ErrInvalid) {
		t.Fatalf("long name: %v", err)
	}
	if _, err := f.svc.RenameFactor(ctx, f.tg, f.user.ID, "nope", "x"); !errors.Is(err, mfa.ErrNotFound) {
		t.Fatalf("rename unknown: %v", err)
	}

	must(t, f.svc.RemoveFactor(ctx, f.tg, f.user.ID, totpF.ID, ""))
	f.noticeMail(t)
	if e := f.rec.Last(t); e.Type != events.MFARemoved || e.Data["factor_type"] != "totp" {
		t.Fatalf("event %+v", e)
	}
	if err := f.svc.RemoveFactor(ctx, f.tg, f.user.ID, totpF.ID, ""); !errors.Is(err, mfa.ErrNotFound) {
		t.Fatalf("remove twice: %v", err)
	}

	cookie, _, err := f.svc.RememberDevice(ctx, f.tg, f.user.ID, 30)
	must(t, err)
	must(t, f.svc.Reset(ctx, f.tg, f.user.ID, "key-123"))
	f.noticeMail(t)
	if e := f.rec.Last(t); e.Type != events.MFAReset || e.ActorID != "key-123" || e.UserID != f.user.ID {
		t.Fatalf("event %+v", e)
	}
	list, err := f.svc.Factors(ctx, f.tg, f.user.ID)
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("factors after reset: %+v", list)
	}
	if f.svc.DeviceRemembered(ctx, f.tg, f.user.ID, cookie) {
		t.Fatal("a remembered device survived the reset")
	}
	if err := f.svc.Reset(ctx, f.tg, "nobody", "key-123"); !errors.Is(err, mfa.ErrNotFound) {
		t.Fatalf("reset unknown user: %v", err)
	}
	want := []string{events.MFAAdded, events.MFAAdded, events.MFARemoved, events.MFAReset}
	if got := f.rec.Types(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("events %v, want %v", got, want)
	}
}

func TestRememberDevice(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	other := &identity.User{Email: "sam@example.com"}
	must(t, f.st.Users().Create(ctx, f.tg.Tenant.ID, other))
	cookie, exp, err := f.svc.RememberDevice(ctx, f.tg, f.user.ID, 30)
	must(t, err)
	if !exp.Equal(f.clock.Now().AddDate(0, 0, 30)) {
		t.Fatalf("expires %v", exp)
	}
	if !f.svc.DeviceRemembered(ctx, f.tg, f.user.ID, cookie) {
		t.Fatal("fresh cookie not remembered")
	}
	id, sig, _ := strings.Cut(cookie, ".")
	for name, v := range map[string]string{
		"another user":       "",
		"tampered signature": id + "." + strings.Repeat("A", len(sig)),
		"no signature":       id,
		"empty":              "",
	} {
		uid := f.user.ID
		if name == "another user" {
			uid, v = other.ID, cookie
		}
		if f.svc.DeviceRemembered(ctx, f.tg, uid, v) {
			t.Errorf("%s: remembered", name)
		}
	}
	f.clock.Advance(31 * 24 * time.Hour)
	if f.svc.DeviceRemembered(ctx, f.tg, f.user.ID, cookie) {
		t.Fatal("expired cookie remembered")
	}
	cookie, _, err = f.svc.RememberDevice(ctx, f.tg, f.user.ID, 1)
	must(t, err)
	must(t, f.svc.ForgetDevices(ctx, f.tg, f.user.ID))
	if f.svc.DeviceRemembered(ctx, f.tg, f.user.ID, cookie) {
		t.Fatal("forgotten device remembered")
	}
	if _, _, err := f.svc.RememberDevice(ctx, f.tg, f.user.ID, 0); !errors.Is(err, mfa.ErrInvalid) {
		t.Fatalf("0 days: %v", err)
	}
}

func TestModeOffAsksNothing(t *testing.T) {
	f := newFixture(t, func(p *identity.MFAPolicy) { p.Mode, p.AllowEmailOTP = factor.ModeOff, true })
	ctx := t.Context()
	if _, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.EmailOTP, ""); !errors.Is(err, mfa.ErrNotAllowed) {
		t.Fatalf("challenge with MFA off: err = %v", err)
	}
	if _, err := f.svc.BeginPasskeyLogin(ctx, f.tg); !errors.Is(err, mfa.ErrNotAllowed) {
		t.Fatalf("passkey login with MFA off: err = %v", err)
	}
	// WebAuthn without a registered authenticator is not offered either.
	f = newFixture(t)
	if _, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.WebAuthn, ""); !errors.Is(err, mfa.ErrNotAllowed) {
		t.Fatalf("WebAuthn challenge without a credential: err = %v", err)
	}
	if _, err := f.svc.BeginChallenge(ctx, f.tg, f.user, "carrier-pigeon", ""); !errors.Is(err, mfa.ErrInvalid) {
		t.Fatalf("unknown kind: err = %v", err)
	}
}
