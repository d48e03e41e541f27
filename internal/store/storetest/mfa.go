package storetest

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var mfaTests = []test{
	{"MFA/TenantPolicy", testMFATenantPolicy},
	{"MFA/FactorLifecycle", testMFAFactorLifecycle},
	{"MFA/SingleUseConcurrency", testMFASingleUse},
	{"MFA/Challenges", testMFAChallenges},
	{"MFA/Devices", testMFADevices},
	{"MFA/TenantIsolation", testMFAIsolation},
}

func testMFATenantPolicy(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	since := micro(time.Now())
	p := identity.MFAPolicy{Mode: factor.ModeConditional, RequiredRoles: []string{"admin"}, RequiredClients: []string{"bank"},
		PhishingResistantRoles: []string{"admin"}, GracePeriod: identity.Duration(168 * time.Hour), EnforcedSince: &since,
		AllowEmailOTP: true, AllowSMS: true, SMSWebhookURL: "https://sms.example/hook", RememberDeviceDays: 30,
		WebAuthn: identity.MFAWebAuthn{RPID: "example.com", RPOrigins: []string{"https://login.example.com"},
			RPName: "Example", RequireAttestation: true, UserVerification: "required"}}
	upd, err := s.Tenants().Update(ctx, tn.ID, 0, func(x *identity.Tenant) error { x.MFA = p; return nil })
	must(t, err)
	got, err := s.Tenants().Get(ctx, tn.ID)
	must(t, err)
	equal(t, got.MFA, p, "MFA policy round trip")
	equal(t, got, upd, "Get after Update")
}

func newFactor(tenantID, userID string, typ factor.FactorType) *factor.Factor {
	return &factor.Factor{TenantID: tenantID, UserID: userID, Type: typ, Name: "My " + string(typ),
		Data: json.RawMessage(`{"k":"v"}`), Weak: typ == factor.SMS}
}

func testMFAFactorLifecycle(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := s.MFA()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("f")+"@example.org")
	f := newFactor(tn.ID, u.ID, factor.TOTP)
	must(t, r.CreateFactor(ctx, f))
	if f.ID == "" || f.CreatedAt.IsZero() || f.Version != 1 {
		t.Fatalf("CreateFactor did not stamp: %+v", f)
	}
	got, err := r.GetFactor(ctx, tn.ID, u.ID, f.ID)
	must(t, err)
	equal(t, got, f, "GetFactor")
	sms := newFactor(tn.ID, u.ID, factor.SMS)
	must(t, r.CreateFactor(ctx, sms))
	wa := newFactor(tn.ID, u.ID, factor.WebAuthn)
	wa.Data = nil
	must(t, r.CreateFactor(ctx, wa))
	list, err := r.ListFactors(ctx, tn.ID, u.ID)
	must(t, err)
	if len(list) != 3 || list[0].ID != f.ID || list[1].ID != sms.ID || !list[1].Weak || string(list[2].Data) != "{}" {
		t.Fatalf("ListFactors = %+v", list)
	}
	wantErr(t, r.CreateFactor(ctx, newFactor(tn.ID, "no-such-user", factor.TOTP)), store.ErrNotFound, "CreateFactor unknown user")

	at := micro(time.Now())
	up, err := r.UpdateFactor(ctx, tn.ID, u.ID, f.ID, func(x *factor.Factor) error {
		x.Name, x.LastUsedAt, x.Data = "Phone", &at, json.RawMessage(`{"step":7}`)
		x.Type, x.UserID, x.Version = factor.SMS, "other", 50
		return nil
	})
	must(t, err)
	want := *f
	want.Name, want.LastUsedAt, want.Data, want.Version = "Phone", &at, json.RawMessage(`{"step":7}`), 2
	equal(t, *up, want, "UpdateFactor result")
	got, err = r.GetFactor(ctx, tn.ID, u.ID, f.ID)
	must(t, err)
	equal(t, *got, want, "after UpdateFactor")
	boom := errors.New("boom")
	_, err = r.UpdateFactor(ctx, tn.ID, u.ID, f.ID, func(x *factor.Factor) error { x.Name = "no"; return boom })
	wantErr(t, err, boom, "UpdateFactor aborted")
	_, err = r.UpdateFactor(ctx, tn.ID, u.ID, "missing", func(*factor.Factor) error { return nil })
	wantErr(t, err, store.ErrNotFound, "UpdateFactor missing")

	must(t, r.DeleteFactor(ctx, tn.ID, u.ID, f.ID))
	wantErr(t, r.DeleteFactor(ctx, tn.ID, u.ID, f.ID), store.ErrNotFound, "DeleteFactor twice")
	n, err := r.DeleteFactors(ctx, tn.ID, u.ID, factor.SMS, factor.Recovery)
	must(t, err)
	equal(t, n, int64(1), "DeleteFactors by type")
	must(t, r.CreateFactor(ctx, newFactor(tn.ID, u.ID, factor.Recovery)))
	n, err = r.DeleteFactors(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, n, int64(2), "DeleteFactors all")

	// Deleting the user deletes its factors.
	must(t, r.CreateFactor(ctx, newFactor(tn.ID, u.ID, factor.TOTP)))
	must(t, s.Users().Delete(ctx, tn.ID, u.ID))
	list, err = r.ListFactors(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, len(list), 0, "factors after user deletion")
}

// A single-use value (a recovery code, a TOTP step) consumed by racing
// callers through UpdateFactor is consumed exactly once.
func testMFASingleUse(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("race")+"@example.org")
	f := newFactor(tn.ID, u.ID, factor.Recovery)
	f.Data = json.RawMessage(`{"used":false}`)
	must(t, s.MFA().CreateFactor(ctx, f))
	errUsed := errors.New("already used")
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.MFA().UpdateFactor(ctx, tn.ID, u.ID, f.ID, func(x *factor.Factor) error {
				var d struct{ Used bool }
				if err := json.Unmarshal(x.Data, &d); err != nil {
					return err
				}
				if d.Used {
					return errUsed
				}
				x.Data = json.RawMessage(`{"used":true}`)
				return nil
			})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, errUsed), errors.Is(err, store.ErrVersionMismatch):
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	equal(t, wins, 1, "successful uses")
	got, err := s.MFA().GetFactor(ctx, tn.ID, u.ID, f.ID)
	must(t, err)
	equal(t, got.Version, int64(2), "version after the race")
}

func testMFAChallenges(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := s.MFA()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("c")+"@example.org")
	now := micro(time.Now())
	c := &store.MFAChallenge{TenantID: tn.ID, UserID: u.ID, Kind: "email_otp", Data: []byte("sealed"),
		CodeHash: hash("123456"), ExpiresAt: now.Add(5 * time.Minute)}
	must(t, r.CreateChallenge(ctx, c))
	if c.ID == "" || c.CreatedAt.IsZero() {
		t.Fatalf("CreateChallenge did not stamp: %+v", c)
	}
	got, err := r.GetChallenge(ctx, tn.ID, c.ID)
	must(t, err)
	equal(t, got, c, "GetChallenge")
	// A passkey login challenge has no user.
	anon := &store.MFAChallenge{TenantID: tn.ID, Kind: "webauthn", ExpiresAt: now.Add(time.Minute)}
	must(t, r.CreateChallenge(ctx, anon))
	got, err = r.GetChallenge(ctx, tn.ID, anon.ID)
	must(t, err)
	equal(t, got, anon, "GetChallenge without user")
	_, err = r.GetChallenge(ctx, tn.ID, "missing")
	wantErr(t, err, store.ErrNotFound, "GetChallenge missing")

	up, err := r.UpdateChallenge(ctx, tn.ID, c.ID, func(x *store.MFAChallenge) error {
		x.Attempts = 5
		x.UsedAt = &now
		x.CodeHash, x.Kind = nil, "other"
		return nil
	})
	must(t, err)
	want := *c
	want.Attempts, want.UsedAt = 5, &now
	equal(t, *up, want, "UpdateChallenge")
	if up.Open(now, 5) {
		t.Fatal("a used challenge is open")
	}
	_, err = r.UpdateChallenge(ctx, tn.ID, "missing", func(*store.MFAChallenge) error { return nil })
	wantErr(t, err, store.ErrNotFound, "UpdateChallenge missing")

	n, err := r.DeleteExpiredChallenges(ctx, now.Add(2*time.Minute))
	must(t, err)
	if n < 1 {
		t.Fatalf("DeleteExpiredChallenges removed %d", n)
	}
	_, err = r.GetChallenge(ctx, tn.ID, anon.ID)
	wantErr(t, err, store.ErrNotFound, "expired challenge after sweep")
	_, err = r.GetChallenge(ctx, tn.ID, c.ID)
	must(t, err)
	must(t, s.Users().Delete(ctx, tn.ID, u.ID))
	_, err = r.GetChallenge(ctx, tn.ID, c.ID)
	wantErr(t, err, store.ErrNotFound, "challenge after user deletion")
}

func testMFADevices(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := s.MFA()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("d")+"@example.org")
	now := micro(time.Now())
	d := &store.RememberedDevice{TenantID: tn.ID, UserID: u.ID, ExpiresAt: now.Add(24 * time.Hour)}
	must(t, r.CreateDevice(ctx, d))
	got, err := r.GetDevice(ctx, tn.ID, d.ID)
	must(t, err)
	equal(t, got, d, "GetDevice")
	old := &store.RememberedDevice{TenantID: tn.ID, UserID: u.ID, ExpiresAt: now.Add(-time.Hour)}
	must(t, r.CreateDevice(ctx, old))
	n, err := r.DeleteExpiredDevices(ctx, now)
	must(t, err)
	if n < 1 {
		t.Fatalf("DeleteExpiredDevices removed %d", n)
	}
	_, err = r.GetDevice(ctx, tn.ID, old.ID)
	wantErr(t, err, store.ErrNotFound, "expired device after sweep")
	n, err = r.DeleteDevices(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, n, int64(1), "DeleteDevices")
	_, err = r.GetDevice(ctx, tn.ID, d.ID)
	wantErr(t, err, store.ErrNotFound, "device after DeleteDevices")
}

// Nothing of one tenant's MFA data is reachable through another tenant's ID.
func testMFAIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := s.MFA()
	a, b := mkTenant(t, s), mkTenant(t, s)
	ua := mkUser(t, s, a.ID, "same@example.org")
	ub := mkUser(t, s, b.ID, "same@example.org")
	f := newFactor(a.ID, ua.ID, factor.TOTP)
	must(t, r.CreateFactor(ctx, f))
	// A factor for tenant B naming tenant A's user is refused.
	wantErr(t, r.CreateFactor(ctx, newFactor(b.ID, ua.ID, factor.TOTP)), store.ErrNotFound, "cross-tenant CreateFactor")
	_, err := r.GetFactor(ctx, b.ID, ua.ID, f.ID)
	wantErr(t, err, store.ErrNotFound, "GetFactor via B")
	list, err := r.ListFactors(ctx, b.ID, ua.ID)
	must(t, err)
	equal(t, len(list), 0, "ListFactors via B")
	_, err = r.UpdateFactor(ctx, b.ID, ua.ID, f.ID, func(*factor.Factor) error { return nil })
	wantErr(t, err, store.ErrNotFound, "UpdateFactor via B")
	wantErr(t, r.DeleteFactor(ctx, b.ID, ua.ID, f.ID), store.ErrNotFound, "DeleteFactor via B")
	_, err = r.DeleteFactors(ctx, b.ID, ua.ID)
	must(t, err)
	_, err = r.GetFactor(ctx, b.ID, ub.ID, f.ID)
	wantErr(t, err, store.ErrNotFound, "GetFactor of another user")

	c := &store.MFAChallenge{TenantID: a.ID, UserID: ua.ID, Kind: "totp", ExpiresAt: time.Now().Add(time.Hour)}
	must(t, r.CreateChallenge(ctx, c))
	_, err = r.GetChallenge(ctx, b.ID, c.ID)
	wantErr(t, err, store.ErrNotFound, "GetChallenge via B")
	_, err = r.UpdateChallenge(ctx, b.ID, c.ID, func(*store.MFAChallenge) error { return nil })
	wantErr(t, err, store.ErrNotFound, "UpdateChallenge via B")

	d := &store.RememberedDevice{TenantID: a.ID, UserID: ua.ID, ExpiresAt: time.Now().Add(time.Hour)}
	must(t, r.CreateDevice(ctx, d))
	_, err = r.GetDevice(ctx, b.ID, d.ID)
	wantErr(t, err, store.ErrNotFound, "GetDevice via B")
	_, err = r.DeleteDevices(ctx, b.ID, ua.ID)
	must(t, err)

	// Tenant A's rows are all still there.
	_, err = r.GetFactor(ctx, a.ID, ua.ID, f.ID)
	must(t, err)
	_, err = r.GetChallenge(ctx, a.ID, c.ID)
	must(t, err)
	_, err = r.GetDevice(ctx, a.ID, d.ID)
	must(t, err)
}
