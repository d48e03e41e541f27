package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var verificationTests = []test{
	{"Verification/Lifecycle", testVerificationLifecycle},
	{"Verification/UseAllAndExpiry", testVerificationUseAll},
	{"Verification/TenantIsolation", testVerificationIsolation},
	{"Verification/IssueCooldown", testVerificationIssue},
	{"Verification/IssueConcurrentOneWins", testVerificationIssueConcurrent},
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

// issuance is a code and a link for u, created at `at`, refused when the
// user has one of the purpose newer than since.
func issuance(tenantID, userID string, at, since time.Time) store.Issuance {
	code := newVerification(tenantID, userID, store.VerificationCode, uniq("ic"))
	link := newVerification(tenantID, userID, store.VerificationLink, uniq("il"))
	code.CreatedAt, link.CreatedAt = at, at
	return store.Issuance{UserID: userID, Purpose: "verify_email", Since: since, New: []*store.Verification{code, link}}
}

func testVerificationIssue(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("v")+"@example.org")
	now := micro(time.Now())

	first := issuance(tn.ID, u.ID, now, now.Add(-time.Minute))
	recent, err := s.Verifications().Issue(ctx, tn.ID, first)
	must(t, err)
	if recent != nil {
		t.Fatalf("Issue stored and returned %+v", recent)
	}
	for _, v := range first.New {
		if v.ID == "" {
			t.Fatal("Issue did not stamp the IDs")
		}
		got, err := s.Verifications().GetByHash(ctx, tn.ID, v.Hash)
		must(t, err)
		equal(t, got, v, "issued row")
	}

	// Within the cool-down: nothing stored, the newest one returned.
	again := issuance(tn.ID, u.ID, now.Add(30*time.Second), now.Add(-30*time.Second))
	recent, err = s.Verifications().Issue(ctx, tn.ID, again)
	wantErr(t, err, store.ErrTooSoon, "Issue within the cool-down")
	if recent == nil || recent.CreatedAt != now || recent.UserID != u.ID {
		t.Fatalf("Issue within the cool-down returned %+v, want the first issuance's row", recent)
	}
	for _, v := range again.New {
		_, err := s.Verifications().GetByHash(ctx, tn.ID, v.Hash)
		wantErr(t, err, store.ErrNotFound, "a row refused by the cool-down")
	}

	// Another purpose, another user, another tenant's rows: no cool-down.
	reset := issuance(tn.ID, u.ID, now, now.Add(-time.Minute))
	reset.Purpose = "reset"
	for _, v := range reset.New {
		v.Purpose = "reset"
	}
	_, err = s.Verifications().Issue(ctx, tn.ID, reset)
	must(t, err)
	u2 := mkUser(t, s, tn.ID, uniq("v")+"@example.org")
	_, err = s.Verifications().Issue(ctx, tn.ID, issuance(tn.ID, u2.ID, now, now.Add(-time.Minute)))
	must(t, err)

	// After the cool-down, with Replace: the older open rows are used up.
	later := issuance(tn.ID, u.ID, now.Add(2*time.Minute), now.Add(time.Minute))
	later.Replace = true
	_, err = s.Verifications().Issue(ctx, tn.ID, later)
	must(t, err)
	for _, v := range first.New {
		got, err := s.Verifications().GetByHash(ctx, tn.ID, v.Hash)
		must(t, err)
		if got.UsedAt == nil || !got.UsedAt.Equal(now.Add(2*time.Minute)) {
			t.Fatalf("replaced row used at %v, want %v", got.UsedAt, now.Add(2*time.Minute))
		}
	}
	got, err := s.Verifications().GetByHash(ctx, tn.ID, reset.New[0].Hash)
	must(t, err)
	if got.UsedAt != nil {
		t.Fatal("Replace used up another purpose's row")
	}
	for _, v := range later.New {
		got, err := s.Verifications().GetByHash(ctx, tn.ID, v.Hash)
		must(t, err)
		if got.UsedAt != nil {
			t.Fatal("Replace used up the new rows")
		}
	}

	// A user of another tenant, or none: ErrNotFound, nothing stored.
	foreign := issuance(other.ID, u.ID, now, time.Time{})
	_, err = s.Verifications().Issue(ctx, other.ID, foreign)
	wantErr(t, err, store.ErrNotFound, "Issue for another tenant's user")
	_, err = s.Verifications().Issue(ctx, tn.ID, issuance(tn.ID, "no-such-user", now, time.Time{}))
	wantErr(t, err, store.ErrNotFound, "Issue for an unknown user")
	// A hash in use: ErrConflict, and the whole issuance is rolled back.
	dup := issuance(tn.ID, u2.ID, now.Add(5*time.Minute), time.Time{})
	dup.New[1].Hash = first.New[0].Hash
	_, err = s.Verifications().Issue(ctx, tn.ID, dup)
	wantErr(t, err, store.ErrConflict, "Issue with a hash in use")
	_, err = s.Verifications().GetByHash(ctx, tn.ID, dup.New[0].Hash)
	wantErr(t, err, store.ErrNotFound, "the first row of a failed issuance")
	// Rows that are not the issuance's user are refused.
	mixed := issuance(tn.ID, u.ID, now, time.Time{})
	mixed.New[1].UserID = u2.ID
	if _, err := s.Verifications().Issue(ctx, tn.ID, mixed); err == nil {
		t.Fatal("Issue stored a row of another user")
	}
}

// Concurrent issuers for one user within the cool-down: exactly one
// stores its rows, the others get ErrTooSoon. This is the resend race of
// a burst of "send me a new code" requests, on any number of nodes.
func testVerificationIssueConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("v")+"@example.org")
	now := micro(time.Now())
	const n = 16
	var (
		wg              sync.WaitGroup
		mu              sync.Mutex
		issued, refused int
		stored          []store.Issuance
		start           = make(chan struct{})
	)
	for range n {
		wg.Go(func() {
			in := issuance(tn.ID, u.ID, now, now.Add(-time.Minute))
			<-start
			_, err := s.Verifications().Issue(ctx, tn.ID, in)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				issued++
				stored = append(stored, in)
			case errors.Is(err, store.ErrTooSoon):
				refused++
			default:
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	if issued != 1 || refused != n-1 {
		t.Fatalf("%d concurrent issuances: %d stored, %d refused; want 1 and %d", n, issued, refused, n-1)
	}
	latest, err := s.Verifications().Latest(ctx, tn.ID, u.ID, "verify_email", store.VerificationCode)
	must(t, err)
	equal(t, latest.ID, stored[0].New[0].ID, "the one stored code")
}
