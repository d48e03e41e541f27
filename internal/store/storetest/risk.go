package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var riskTests = []test{
	{"Risk/Policy", testRiskPolicy},
	{"Risk/History", testRiskHistory},
	{"Risk/HistoryConcurrent", testRiskHistoryConcurrent},
	{"Risk/TenantIsolation", testRiskIsolation},
}

func testRiskPolicy(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	p, err := s.Risk().Policy(ctx, tn.ID)
	must(t, err)
	equal(t, p, riskpolicy.Policy{}, "policy of a new tenant")
	want := riskpolicy.Policy{Shadow: true, ChallengeScore: 40, NewDevice: riskpolicy.ActionNotify, DenyCIDRs: []string{"192.0.2.0/24"}}
	must(t, s.Risk().SetPolicy(ctx, tn.ID, want))
	p, err = s.Risk().Policy(ctx, tn.ID)
	must(t, err)
	equal(t, p, want, "stored policy")
	got, err := s.Tenants().Get(ctx, tn.ID)
	must(t, err)
	if got.Version != tn.Version+1 {
		t.Errorf("SetPolicy left the tenant at version %d, want %d", got.Version, tn.Version+1)
	}
	_, err = s.Risk().Policy(ctx, "no-such-tenant")
	wantErr(t, err, store.ErrNotFound, "Policy of an unknown tenant")
	wantErr(t, s.Risk().SetPolicy(ctx, "no-such-tenant", want), store.ErrNotFound, "SetPolicy of an unknown tenant")
}

func testRiskHistory(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("r")+"@example.org")
	h, err := s.Risk().History(ctx, tn.ID, u.ID)
	must(t, err)
	if !h.Empty() {
		t.Fatalf("new user has history %+v", h)
	}
	at := micro(time.Now())
	place := riskpolicy.Place{At: at, IP: "192.0.2.7", Country: "DE", Lat: 52.5, Lon: 13.4, HasCoords: true, Factor: "password"}
	saved, err := s.Risk().UpdateHistory(ctx, tn.ID, u.ID, func(h *riskpolicy.History) error {
		h.RecordSuccess(place, "dev-1", "192.0.2.0/24")
		h.RecordLock("ip:198.51.100.9", at.Add(time.Hour), at)
		return nil
	})
	must(t, err)
	got, err := s.Risk().History(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, got, saved, "History after UpdateHistory")
	if !got.KnowsDevice("dev-1") || !got.KnowsCountry("DE") || got.Last == nil || !got.Last.At.Equal(at) || len(got.Locks) != 1 {
		t.Fatalf("history %+v", got)
	}

	// An error from fn writes nothing.
	boom := errors.New("boom")
	_, err = s.Risk().UpdateHistory(ctx, tn.ID, u.ID, func(h *riskpolicy.History) error { h.Successes = 99; return boom })
	wantErr(t, err, boom, "UpdateHistory with failing fn")
	again, err := s.Risk().History(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, again, got, "history after an aborted update")

	_, err = s.Risk().History(ctx, tn.ID, "no-such-user")
	wantErr(t, err, store.ErrNotFound, "History of an unknown user")
	_, err = s.Risk().UpdateHistory(ctx, tn.ID, "no-such-user", func(*riskpolicy.History) error { return nil })
	wantErr(t, err, store.ErrNotFound, "UpdateHistory of an unknown user")

	// The history goes with the user.
	must(t, s.Users().Delete(ctx, tn.ID, u.ID))
	_, err = s.Risk().History(ctx, tn.ID, u.ID)
	wantErr(t, err, store.ErrNotFound, "History of a deleted user")
}

// testRiskHistoryConcurrent races first sign-ins of one user: every
// update must count.
func testRiskHistoryConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("rc")+"@example.org")
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Risk().UpdateHistory(ctx, tn.ID, u.ID, func(h *riskpolicy.History) error {
				h.RecordSuccess(riskpolicy.Place{At: time.Now()}, uniq("dev-"), "")
				return nil
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	h, err := s.Risk().History(ctx, tn.ID, u.ID)
	must(t, err)
	if h.Successes != n || len(h.Devices) != n {
		t.Fatalf("after %d concurrent updates: %d successes, %d devices", n, h.Successes, len(h.Devices))
	}
}

func testRiskIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	u := mkUser(t, s, a.ID, uniq("ri")+"@example.org")
	_, err := s.Risk().UpdateHistory(ctx, a.ID, u.ID, func(h *riskpolicy.History) error {
		h.RecordSuccess(riskpolicy.Place{At: micro(time.Now()), Country: "FR"}, "dev-a", "")
		return nil
	})
	must(t, err)
	must(t, s.Risk().SetPolicy(ctx, a.ID, riskpolicy.Policy{Shadow: true}))

	_, err = s.Risk().History(ctx, b.ID, u.ID)
	wantErr(t, err, store.ErrNotFound, "B History of A's user")
	called := false
	_, err = s.Risk().UpdateHistory(ctx, b.ID, u.ID, func(*riskpolicy.History) error { called = true; return nil })
	wantErr(t, err, store.ErrNotFound, "B UpdateHistory of A's user")
	if called {
		t.Error("B's UpdateHistory ran fn on A's user")
	}
	pb, err := s.Risk().Policy(ctx, b.ID)
	must(t, err)
	equal(t, pb, riskpolicy.Policy{}, "B's policy after A's was set")
	h, err := s.Risk().History(ctx, a.ID, u.ID)
	must(t, err)
	if !h.KnowsDevice("dev-a") || h.Successes != 1 {
		t.Fatalf("A's history changed: %+v", h)
	}
}
