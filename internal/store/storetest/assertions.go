package storetest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var clientAssertionTests = []test{
	{"ClientAssertion/UseOnce", testAssertionUseOnce},
	{"ClientAssertion/ConcurrentUse", testAssertionConcurrentUse},
	{"ClientAssertion/DeleteExpired", testAssertionDeleteExpired},
}

// A jti is accepted once per client until it expires: again after its
// expiry, for another client, or in another tenant.
func testAssertionUseOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkParty(t, s), mkParty(t, s)
	r := s.ClientAssertions()
	now := time.Now()
	exp := now.Add(time.Minute)
	jti := hash("jti-1")
	must(t, r.Use(ctx, a.tenant.ID, a.client.ID, jti, exp, now))
	wantErr(t, r.Use(ctx, a.tenant.ID, a.client.ID, jti, exp.Add(time.Hour), now.Add(59*time.Second)), store.ErrReused, "second use before expiry")
	other := mkClient(t, s, a.tenant.ID, uniq("client-"))
	must(t, r.Use(ctx, a.tenant.ID, other.ID, jti, exp, now))
	must(t, r.Use(ctx, b.tenant.ID, b.client.ID, jti, exp, now))
	// Expired (exp <= now): the jti may be used again, and is then held
	// until the new expiry.
	must(t, r.Use(ctx, a.tenant.ID, a.client.ID, jti, exp.Add(time.Minute), exp))
	wantErr(t, r.Use(ctx, a.tenant.ID, a.client.ID, jti, exp.Add(time.Hour), exp.Add(59*time.Second)), store.ErrReused, "use of the renewed jti")

	wantErr(t, r.Use(ctx, a.tenant.ID, "no-such-client", hash("jti-2"), exp, now), store.ErrNotFound, "unknown client")
	wantErr(t, r.Use(ctx, b.tenant.ID, a.client.ID, hash("jti-3"), exp, now), store.ErrNotFound, "another tenant's client")
	// Deleting the client deletes its uses.
	must(t, s.Clients().Delete(ctx, a.tenant.ID, other.ID))
	n, err := r.DeleteExpired(ctx, now.Add(time.Hour))
	must(t, err)
	if n != 2 { // a's renewed use and b's
		t.Fatalf("DeleteExpired removed %d, want 2 (the deleted client's use went with it)", n)
	}
}

// Of concurrent uses of one jti exactly one succeeds.
func testAssertionConcurrentUse(t *testing.T, s store.Store) {
	p := mkParty(t, s)
	now := time.Now()
	var ok, reused atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			switch err := s.ClientAssertions().Use(t.Context(), p.tenant.ID, p.client.ID, hash("race"), now.Add(time.Minute), now); err {
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

func testAssertionDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now()
	var keep []party
	for range 2 {
		p := mkParty(t, s)
		for i, d := range []time.Duration{-time.Hour, -time.Second, time.Hour} {
			must(t, s.ClientAssertions().Use(ctx, p.tenant.ID, p.client.ID, hash(uniq("jti")+string(rune('a'+i))), now.Add(d), now.Add(-2*time.Hour)))
		}
		keep = append(keep, p)
	}
	n, err := s.ClientAssertions().DeleteExpired(ctx, now)
	count(t, n, err, 4, "DeleteExpired across tenants")
	n, err = s.ClientAssertions().DeleteExpired(ctx, now.Add(2*time.Hour))
	count(t, n, err, 2, "the unexpired uses stayed")
	_ = keep
}
