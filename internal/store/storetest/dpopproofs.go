package storetest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var dpopProofTests = []test{
	{"DPoPProof/UseOnce", testDPoPProofUseOnce},
	{"DPoPProof/ConcurrentUse", testDPoPProofConcurrentUse},
	{"DPoPProof/DeleteExpired", testDPoPProofDeleteExpired},
}

// A proof is accepted once per tenant until it expires, then again.
func testDPoPProofUseOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	r := s.DPoPProofs()
	now := time.Now()
	exp := now.Add(time.Minute)
	key := hash(uniq("proof"))
	must(t, r.Use(ctx, a.ID, key, exp, now))
	wantErr(t, r.Use(ctx, a.ID, key, exp.Add(time.Hour), now.Add(59*time.Second)), store.ErrReused, "second use before expiry")
	must(t, r.Use(ctx, b.ID, key, exp, now)) // tenants are apart
	must(t, r.Use(ctx, a.ID, key, exp.Add(time.Minute), exp))
	wantErr(t, r.Use(ctx, a.ID, key, exp.Add(time.Hour), exp.Add(59*time.Second)), store.ErrReused, "use of the renewed proof")
	if err := r.Use(ctx, "no-such-tenant", hash(uniq("p")), exp, now); err == nil {
		t.Fatal("a use for an unknown tenant was recorded")
	}
}

// Of concurrent uses of one proof exactly one succeeds.
func testDPoPProofConcurrentUse(t *testing.T, s store.Store) {
	tn := mkTenant(t, s)
	now := time.Now()
	key := hash(uniq("race"))
	var ok, reused atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			switch err := s.DPoPProofs().Use(t.Context(), tn.ID, key, now.Add(time.Minute), now); err {
			case nil:
				ok.Add(1)
			case store.ErrReused:
				reused.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || reused.Load() != 7 {
		t.Fatalf("%d uses succeeded, %d were refused; want 1 and 7", ok.Load(), reused.Load())
	}
}

// The sweep removes expired uses of every tenant; the times are in 2000
// so no other test's rows are counted.
func testDPoPProofDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 2 {
		tn := mkTenant(t, s)
		for _, d := range []time.Duration{-time.Hour, -time.Second, time.Hour} {
			must(t, s.DPoPProofs().Use(ctx, tn.ID, hash(uniq("p")), t0.Add(d), t0.Add(-2*time.Hour)))
		}
	}
	n, err := s.DPoPProofs().DeleteExpired(ctx, t0)
	count(t, n, err, 4, "DeleteExpired across tenants")
	n, err = s.DPoPProofs().DeleteExpired(ctx, t0.Add(2*time.Hour))
	count(t, n, err, 2, "the unexpired uses stayed")
}
