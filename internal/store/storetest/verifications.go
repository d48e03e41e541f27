package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var verificationTests = []test{
	{"Verification/Lifecycle", testVerificationLifecycle},
	{"Verification/UseAllAndExpiry", testVerificationUseAll},
	{"Verification/TenantIsolation", testVerificationIsolation},
}

func newVerification(tenantID, userID, kind, secret string) *store.Verification {
	return &store.Verification{
		TenantID: tenantID, UserID: userID, Purpose: "verify_email", Kind: kind, Hash: hash(secret),
		AuthRequestID: "ar-1", ExpiresAt: time.Now().Add(time.Hour),
	}
}

func testVerificationLifecycle(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("v")+"@example.org")
	v := newVerification(tn.ID, u.ID, store.VerificationCode, uniq("code"))
	must(t, s.Verifications().Create(ctx, v))
	if v.ID == "" || v.CreatedAt.IsZero() {
		t.Fatalf("Create did not stamp ID/CreatedAt: %+v", v)
	}
	got, err := s.Verifications().GetByHash(ctx, tn.ID, v.Hash)
	must(t, err)
	equal(t, got, v, "GetByHash")
	_, err = s.Verifications().GetByHash(ctx, tn.ID, hash("unknown"))
	wantErr(t, err, store.ErrNotFound, "GetByHash unknown")

	newer := newVerification(tn.ID, u.ID, store.VerificationCode, uniq("code"))
	must(t, s.Verifications().Create(ctx, newer))
	got, err = s.Verifications().Latest(ctx, tn.ID, u.ID, "verify_email", store.VerificationCode)
	must(t, err)
	equal(t, got.ID, newer.ID, "Latest")
	_, err = s.Verifications().Latest(ctx, tn.ID, u.ID, "verify_email", store.VerificationLink)
	wantErr(t, err, store.ErrNotFound, "Latest of a kind never issued")

	dup := newVerification(tn.ID, u.ID, store.VerificationLink, "")
	dup.Hash = v.Hash
	wantErr(t, s.Verifications().Create(ctx, dup), store.ErrConflict, "Create with a hash in use")
	wantErr(t, s.Verifications().Create(ctx, newVerification(tn.ID, "no-such-user", store.VerificationLink, uniq("x"))),
		store.ErrNotFound, "Create for an unknown user")

	// Update changes attempts and used_at only.
	at := micro(time.Now())
	up, err := s.Verifications().Update(ctx, tn.ID, v.ID, func(x *store.Verification) error {
		x.Attempts++
		x.UsedAt = &at
		x.UserID, x.Hash = "other", hash("other")
		return nil
	})
	must(t, err)
	want := *v
	want.Attempts, want.UsedAt = 1, &at
	equal(t, *up, want, "Update result")
	got, err = s.Verifications().GetByHash(ctx, tn.ID, v.Hash)
	must(t, err)
	equal(t, *got, want, "after Update")
	if got.Open(time.Now(), 5) {
		t.Fatal("a used verification is open")
	}
	_, err = s.Verifications().Update(ctx, tn.ID, "missing", func(*store.Verification) error { return nil })
	wantErr(t, err, store.ErrNotFound, "Update missing")

	// Deleting the user deletes its verifications.
	must(t, s.Users().Delete(ctx, tn.ID, u.ID))
	_, err = s.Verifications().GetByHash(ctx, tn.ID, newer.Hash)
	wantErr(t, err, store.ErrNotFound, "after user deletion")
}

func testVerificationUseAll(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("v")+"@example.org")
	other := mkUser(t, s, tn.ID, uniq("v")+"@example.org")
	code := newVerification(tn.ID, u.ID, store.VerificationCode, uniq("c"))
	link := newVerification(tn.ID, u.ID, store.VerificationLink, uniq("l"))
	theirs := newVerification(tn.ID, other.ID, store.VerificationCode, uniq("c"))
	old := newVerification(tn.ID, other.ID, store.VerificationLink, uniq("l"))
	old.ExpiresAt = time.Now().Add(-time.Hour)
	for _, v := range []*store.Verification{code, link, theirs, old} {
		must(t, s.Verifications().Create(ctx, v))
	}
	n, err := s.Verifications().UseAll(ctx, tn.ID, u.ID, "verify_email", time.Now())
	must(t, err)
	equal(t, n, int64(2), "UseAll count")
	for _, v := range []*store.Verification{code, link} {
		got, err := s.Verifications().GetByHash(ctx, tn.ID, v.Hash)
		must(t, err)
		if got.UsedAt == nil {
			t.Fatalf("%s not used after UseAll", v.Kind)
		}
	}
	got, err := s.Verifications().GetByHash(ctx, tn.ID, theirs.Hash)
	must(t, err)
	if got.UsedAt != nil || !got.Open(time.Now(), 5) {
		t.Fatal("UseAll touched another user's verification")
	}
	if got.Open(time.Now().Add(2*time.Hour), 5) {
		t.Fatal("an expired verification is open")
	}
	n, err = s.Verifications().DeleteExpired(ctx, time.Now())
	must(t, err)
	if n < 1 {
		t.Fatalf("DeleteExpired removed %d, want at least 1", n)
	}
	_, err = s.Verifications().GetByHash(ctx, tn.ID, old.Hash)
	wantErr(t, err, store.ErrNotFound, "expired after DeleteExpired")
	_, err = s.Verifications().GetByHash(ctx, tn.ID, theirs.Hash)
	must(t, err)
}

func testVerificationIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	u := mkUser(t, s, a.ID, uniq("v")+"@example.org")
	v := newVerification(a.ID, u.ID, store.VerificationCode, uniq("c"))
	must(t, s.Verifications().Create(ctx, v))
	_, err := s.Verifications().GetByHash(ctx, b.ID, v.Hash)
	wantErr(t, err, store.ErrNotFound, "GetByHash from another tenant")
	_, err = s.Verifications().Latest(ctx, b.ID, u.ID, "verify_email", store.VerificationCode)
	wantErr(t, err, store.ErrNotFound, "Latest from another tenant")
	_, err = s.Verifications().Update(ctx, b.ID, v.ID, func(x *store.Verification) error { x.Attempts = 9; return nil })
	wantErr(t, err, store.ErrNotFound, "Update from another tenant")
	n, err := s.Verifications().UseAll(ctx, b.ID, u.ID, "verify_email", time.Now())
	must(t, err)
	equal(t, n, int64(0), "UseAll from another tenant")
	wantErr(t, s.Verifications().Create(ctx, newVerification(b.ID, u.ID, store.VerificationLink, uniq("l"))),
		store.ErrNotFound, "Create for another tenant's user")
}
